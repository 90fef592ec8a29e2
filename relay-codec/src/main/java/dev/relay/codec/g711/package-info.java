/**
 * ITU-T G.711 μ-law ({@link dev.relay.codec.g711.MuLaw}) and A-law ({@link dev.relay.codec.g711.ALaw})
 * companding, bit-exact with the ITU-T G.191 STL reference arithmetic.
 *
 * <p>Both codecs are stateless static methods over primitive arrays backed by tables built once
 * from the G.711 formulas; they allocate nothing and are safe to call from any thread.
 */
package dev.relay.codec.g711;
