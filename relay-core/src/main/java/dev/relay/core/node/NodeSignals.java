package dev.relay.core.node;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells SIGTERM (drain) from SIGINT (stop now): the JVM runs the same shutdown hooks for both, so
 * handlers are installed with {@code sun.misc.Signal} (module {@code jdk.unsupported}, exported on
 * JDK 17 and 25). It is reached reflectively because javac flags every direct use of it as
 * proprietary API, a warning no annotation can suppress, and the build compiles with
 * {@code -Werror}. A signal the process inherited as ignored (e.g. SIGINT under {@code nohup})
 * stays ignored: the JVM refuses to handle it.
 *
 * <p>Handlers run on a thread the JVM starts per signal; they must return quickly.
 */
public final class NodeSignals {
    private static final Logger log = LoggerFactory.getLogger(NodeSignals.class);

    private NodeSignals() {}

    /**
     * Installs {@code onTerm} for SIGTERM and {@code onInt} for SIGINT. False when this JVM cannot
     * (the shutdown hook then stops the relay on either signal, without a drain).
     */
    public static boolean install(Runnable onTerm, Runnable onInt) {
        try {
            handle("TERM", onTerm);
            handle("INT", onInt);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.warn("cannot install signal handlers ({}): SIGTERM stops the relay without draining", e.toString());
            return false;
        }
    }

    /**
     * Installs {@code onHup} for SIGHUP (reload the certificate). False when this JVM cannot, or
     * the process was started with SIGHUP ignored ({@code nohup}): the certificate then reloads on
     * file changes only.
     */
    public static boolean installHangup(Runnable onHup) {
        try {
            handle("HUP", onHup);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.warn("cannot handle SIGHUP ({}): the certificate reloads on file changes only", e.toString());
            return false;
        }
    }

    private static void handle(String name, Runnable action) throws ReflectiveOperationException {
        Class<?> signal = Class.forName("sun.misc.Signal");
        Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
        Object handler = Proxy.newProxyInstance(NodeSignals.class.getClassLoader(), new Class<?>[] {handlerType},
                (proxy, method, args) -> switch (method.getName()) {
                    case "handle" -> {
                        run(name, action);
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "relay SIG" + name + " handler";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Object sig = signal.getConstructor(String.class).newInstance(name);
        try {
            signal.getMethod("handle", signal, handlerType).invoke(null, sig, handler);
        } catch (InvocationTargetException e) {
            // e.g. IllegalArgumentException when the VM itself uses the signal (-Xrs and the like)
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static void run(String name, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.error("SIG{} handler failed", name, e);
        }
    }
}
