/**
 * The two ways between the telephone's G.711 at 8 kHz and PCM16 at the relay's rates, one class
 * per direction: {@link dev.relay.codec.transcode.G711ToPcm16k} (the caller's audio into the
 * pipeline) and {@link dev.relay.codec.transcode.Pcm16ToUlaw8k} (audio for the caller to hear: bot
 * streams and pushed clips). Each is a {@link dev.relay.codec.g711} law joined to a
 * {@link dev.relay.codec.resample} filter, with the filter's state carried across calls.
 */
package dev.relay.codec.transcode;
