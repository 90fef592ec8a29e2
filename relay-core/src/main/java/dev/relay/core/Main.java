package dev.relay.core;

/** Entry point; replaced by the real server bootstrap. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("relay");
    }
}
