package dev.relay.core.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The cluster-wide lists: nodes (one script) and calls (one script for the nodes, then one per live
 * node, in parallel). Each node's calls are read by a short script of their own rather than all in
 * one, so a large fleet's listing never holds Redis for long. Thread-safe.
 */
final class Listings {
    private final RedisLink link;
    private final Consumer<Throwable> down;

    /** @param down told when Redis could not be reached */
    Listings(RedisLink link, Consumer<Throwable> down) {
        this.link = link;
        this.down = down;
    }

    CompletionStage<List<NodeInfo>> nodes() {
        return reported(link.eval(Script.NODES, new String[] {Keys.nodes()}, Keys.PREFIX)).thenApply(r -> {
            List<?> reply = (List<?>) r;
            List<NodeInfo> nodes = new ArrayList<>(reply.size() / 2);
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                nodes.add(NodeHash.parse(String.valueOf(reply.get(i)), (List<?>) reply.get(i + 1)));
            }
            return nodes;
        });
    }

    /** The calls of every live node. */
    CompletionStage<List<ClusterCall>> calls() {
        return nodes().thenCompose(nodes -> {
            List<CompletableFuture<List<ClusterCall>>> perNode = new ArrayList<>();
            for (NodeInfo n : nodes) {
                if (n.alive()) {
                    perNode.add(callsOf(n.id()).toCompletableFuture());
                }
            }
            return CompletableFuture.allOf(perNode.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
                List<ClusterCall> all = new ArrayList<>();
                for (CompletableFuture<List<ClusterCall>> f : perNode) {
                    all.addAll(f.join());
                }
                return all;
            });
        });
    }

    private CompletionStage<List<ClusterCall>> callsOf(String node) {
        return reported(link.eval(Script.NODE_CALLS, new String[] {Keys.nodeCalls(node)}, Keys.PREFIX, node))
                .thenApply(r -> {
                    List<?> reply = (List<?>) r;
                    List<ClusterCall> calls = new ArrayList<>(reply.size() / 4);
                    for (int i = 0; i + 3 < reply.size(); i += 4) {
                        calls.add(new ClusterCall(node, new CallRecord(String.valueOf(reply.get(i)),
                                String.valueOf(reply.get(i + 1)), String.valueOf(reply.get(i + 2)),
                                Heartbeat.number(reply.get(i + 3)))));
                    }
                    return calls;
                });
    }

    private <T> CompletionStage<T> reported(CompletionStage<T> stage) {
        return stage.whenComplete((r, e) -> {
            if (e != null) {
                down.accept(e);
            }
        });
    }
}
