/**
 * The fleet's shared control plane (SPEC §8.3): node heartbeats, the cluster-wide call registry,
 * pending outbound calls and the cluster event stream, behind {@link dev.relay.core.cluster.Cluster}.
 * {@link dev.relay.core.cluster.Clusters#create} picks Redis ({@code relay.cluster.enabled}) or a
 * cluster of one. Nothing on the per-frame path touches this package.
 */
package dev.relay.core.cluster;
