package dev.relay.bench.fleet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * Free ports for a pool: the relays each bind their own loopback address (all of 127/8 is
 * loopback, so each looks like a host of its own) with the same ports, as a real pool's nodes do.
 */
final class PoolPorts {
    private PoolPorts() {}

    /** A port nothing listens on at any of {@code addresses}. */
    static int freeOn(List<String> addresses) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(addresses.get(0)), 0));
                port = s.getLocalPort();
            }
            if (freeEverywhere(addresses, port)) {
                return port;
            }
        }
        throw new IOException("no port free on all of " + addresses);
    }

    private static boolean freeEverywhere(List<String> addresses, int port) {
        for (String a : addresses) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getByName(a), port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
