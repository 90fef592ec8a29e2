/**
 * Control requests for calls held by another node of the cluster (SPEC §8.3): the per-call routes
 * are served where the call is, or forwarded to its owner's control API and answered with the
 * owner's answer, unchanged.
 */
package dev.relay.core.control.forward;
