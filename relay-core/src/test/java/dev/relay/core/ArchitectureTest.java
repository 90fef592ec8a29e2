package dev.relay.core;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.relay.core.net.Json;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

/**
 * relay-core's architecture rules, checked on every build. The packages follow the path of a
 * frame (ingress → scanner → call → sink → control) and may only use the ones beneath them;
 * nothing that runs on an event loop calls a blocking API.
 */
@AnalyzeClasses(packages = "dev.relay.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** The packages whose code runs on IO loops (or the DSP threads' equivalents). */
    private static final String[] EVENT_LOOP_PACKAGES = {
        "dev.relay.core.ingress..", "dev.relay.core.scanner..", "dev.relay.core.call..", "dev.relay.core.sink..",
        "dev.relay.core.socketio..", "dev.relay.core.net..", "dev.relay.core.control..",
    };

    /**
     * Code in those packages that blocks on purpose, off the event loops, with the reason: a whole
     * class ({@code Class}) or one method ({@code Class#method}). Keep this short: a new entry needs
     * a thread that is not an event loop.
     */
    private static final Map<String, String> MAY_BLOCK = Map.of(
            "dev.relay.core.ingress.TelephonyServer", "binds and unbinds on the thread that starts and stops the relay",
            "dev.relay.core.control.ControlServer", "binds and unbinds on the thread that starts and stops the relay",
            "dev.relay.core.control.events.EventWebhook#close", "delivers what is left on the stopping thread",
            "dev.relay.core.sink.aiola.AiolaSinkFactory#shutdown", "ends aiOla sessions on the stopping thread",
            "dev.relay.core.sink.sessionstream.SessionStreamSink#target",
            "resolves the upload host on the sink executor",
            "dev.relay.core.net.OffLoopResolver$Lookup", "looks host names up on its own DNS threads");

    private static final DescribedPredicate<JavaAccess<?>> BLOCKING = DescribedPredicate.describe(
            "a blocking API (Thread.sleep, Object.wait, CountDownLatch.await, Future.get, CompletableFuture.join,"
                    + " Netty Future.sync/await, java.net sockets, URLs and name lookups, HttpClient.send)"
                    + " outside the MAY_BLOCK exemptions",
            access -> blocks(access) && !exempt(access));

    /** Classes of {@code dev.relay.core.<layer>} use nothing of relay-core outside it and {@code allowed}. */
    private static ArchRule usesOnly(String layer, String... allowed) {
        String[] packages = new String[allowed.length + 1];
        packages[0] = "dev.relay.core." + layer + "..";
        for (int i = 0; i < allowed.length; i++) {
            packages[i + 1] = "dev.relay.core." + allowed[i] + "..";
        }
        return noClasses().that().resideInAPackage(packages[0])
                .should().dependOnClassesThat(
                        resideInAPackage("dev.relay.core..").and(not(resideInAnyPackage(packages))))
                .as("dev.relay.core." + layer + " uses nothing of relay-core"
                        + (allowed.length == 0 ? "" : " but " + String.join(", ", allowed)));
    }

    private static boolean exempt(JavaAccess<?> access) {
        String owner = access.getOriginOwner().getName();
        return MAY_BLOCK.containsKey(owner) || MAY_BLOCK.containsKey(owner + "#" + access.getOrigin().getName());
    }

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.relay.core.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule sinksKnowNothingOfControlOrIngress = noClasses()
            .that().resideInAPackage("dev.relay.core.sink..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.relay.core.control..", "dev.relay.core.ingress..", "dev.relay.core.call..")
            .because("a sink sees its call only through sink.CallContext and CallAudio");

    // The layers beneath the sinks, each allowed only what is under it.
    @ArchTest
    static final ArchRule configStandsAlone = usesOnly("config");

    @ArchTest
    static final ArchRule eventsStandAlone = usesOnly("event");

    @ArchTest
    static final ArchRule netIsInfrastructure = usesOnly("net", "config");

    @ArchTest
    static final ArchRule scannerNeedsOnlyNet = usesOnly("scanner", "net");

    @ArchTest
    static final ArchRule socketioNeedsOnlyNet = usesOnly("socketio", "net");

    /** The fleet's control plane knows nothing of calls, sockets or the API: they use it, never the reverse. */
    @ArchTest
    static final ArchRule clusterIsControlPlaneOnly = usesOnly("cluster", "config", "event", "net");

    /** Call handling claims its callIds through the cluster's interface (SPEC §8.3), nothing else of the fleet. */
    @ArchTest
    static final ArchRule callDoesNotKnowItsPlacementOrSocket = usesOnly("call", "sink", "event", "config", "net",
            "cluster");

    @ArchTest
    static final ArchRule metricsServeWithoutControl = noClasses()
            .that().resideInAPackage("dev.relay.core.metrics..")
            .should().dependOnClassesThat().resideInAPackage("dev.relay.core.control..");

    @ArchTest
    static final ArchRule oneJacksonConfiguration = noClasses()
            .that().doNotBelongToAnyOf(Json.class)
            .should().callConstructor(ObjectMapper.class)
            .because("every JSON reader and writer shares net.Json's configuration");

    @ArchTest
    static final ArchRule eventLoopsDoNotBlock = noClasses()
            .that().resideInAnyPackage(EVENT_LOOP_PACKAGES)
            .should().callCodeUnitWhere(BLOCKING)
            .because("a blocking call on an IO loop stalls every call on that loop");

    private static boolean blocks(JavaAccess<?> access) {
        JavaClass owner = access.getTarget().getOwner();
        String name = access.getTarget().getName();
        return owner.isEquivalentTo(Thread.class) && name.equals("sleep")
                || name.equals("wait") && access.getTarget().getFullName().matches(".*wait\\((|long|long, int)\\)")
                || owner.isAssignableTo(CountDownLatch.class) && name.equals("await")
                || owner.isAssignableTo(Future.class) && name.equals("get")
                || owner.isAssignableTo(CompletableFuture.class) && name.equals("join")
                || owner.isAssignableTo("io.netty.util.concurrent.Future")
                        && Set.of("sync", "syncUninterruptibly", "await", "awaitUninterruptibly").contains(name)
                || owner.isAssignableTo(Socket.class) || owner.isAssignableTo(ServerSocket.class)
                || owner.isEquivalentTo(InetAddress.class) && Set.of("getByName", "getAllByName", "getLocalHost",
                        "getHostName", "getCanonicalHostName").contains(name)
                || owner.isEquivalentTo(URL.class) && name.startsWith("open")
                || owner.isAssignableTo(HttpClient.class) && name.equals("send");
    }
}
