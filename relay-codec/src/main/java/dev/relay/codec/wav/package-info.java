/**
 * RIFF/WAVE: {@link dev.relay.codec.wav.WavReader} parses headers of untrusted input without copying
 * the audio, {@link dev.relay.codec.wav.WavWriter} streams a file and fixes its sizes at close, and
 * builds whole in-memory WAVs. Formats: PCM (8/16/24/32-bit), A-law and μ-law.
 */
package dev.relay.codec.wav;
