package dev.relay.core.control;

import static dev.relay.core.testing.ControlHttp.errorCode;
import static dev.relay.core.testing.ControlHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.config.ControlConfig;
import dev.relay.core.net.Transport;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.ControlRoute;
import dev.relay.core.testing.ControlHttp;
import io.netty.channel.EventLoopGroup;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin listener on its own: auth, routing, body bounds, errors, keep-alive, readiness. */
@Timeout(30)
class ControlServerTest {
    private static final String TOKEN = "s3cret-token";
    private static final int MAX_BODY = 64 * 1024;
    private static final EventLoopGroup GROUP = Transport.group(1);

    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private ControlServer server;
    private InetSocketAddress address;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @AfterAll
    static void shutdown() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private ControlHttp start(String host, String token) throws Exception {
        List<ControlRoute> routes = new ArrayList<>(HealthRoutes.create(ready::get, draining::get));
        routes.add(route("GET", "/echo/{a}/{b}", ControlServerTest::echo));
        routes.add(route("POST", "/echo/{a}/{b}", ControlServerTest::echo));
        routes.add(route("GET", "/boom", r -> {
            throw new IllegalStateException("route bug");
        }));
        routes.add(new TestRoute("GET", "/fail",
                r -> CompletableFuture.failedFuture(new IllegalStateException("late bug"))));
        routes.add(new TestRoute("GET", "/slow", r -> CompletableFuture.supplyAsync(
                () -> ControlResponse.json(200, Map.of("slow", true)),
                CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS))));
        server = new ControlServer(new ControlConfig(host, 0, token, MAX_BODY), GROUP, routes);
        address = server.start();
        return new ControlHttp("http://127.0.0.1:" + address.getPort(), token.isEmpty() ? null : token);
    }

    private ControlHttp anonymous() {
        return new ControlHttp("http://127.0.0.1:" + address.getPort(), null);
    }

    private static ControlResponse echo(ControlRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("params", r.pathParams());
        m.put("q", r.queryParam("q"));
        m.put("bodyBytes", r.body().length);
        return ControlResponse.json(200, m);
    }

    private static ControlRoute route(String method, String pattern, Function<ControlRequest, ControlResponse> f) {
        return new TestRoute(method, pattern, r -> CompletableFuture.completedFuture(f.apply(r)));
    }

    private record TestRoute(String method, String pattern,
            Function<ControlRequest, CompletableFuture<ControlResponse>> f) implements ControlRoute {
        @Override
        public CompletableFuture<ControlResponse> handle(ControlRequest request) {
            return f.apply(request);
        }
    }

    @Test
    void healthzAnswersWithoutTheToken() throws Exception {
        start("127.0.0.1", TOKEN);
        HttpResponse<String> r = anonymous().get("/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(json(r).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void readyzIs503UntilReadyThen200ThenDrainingWins() throws Exception {
        ControlHttp http = start("127.0.0.1", TOKEN);
        HttpResponse<String> notReady = http.get("/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(errorCode(notReady)).isEqualTo("not_ready");
        ready.set(true);
        assertThat(anonymous().get("/readyz").statusCode()).isEqualTo(200);
        draining.set(true);
        HttpResponse<String> drain = http.get("/readyz");
        assertThat(drain.statusCode()).isEqualTo(503);
        assertThat(errorCode(drain)).isEqualTo("draining");
        assertThat(json(drain).path("error").path("message").asText()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer wrong", "Bearer s3cret-token2", "Bearer s3cret-toke", "Basic czNjcmV0LXRva2Vu",
        "s3cret-token"})
    void requestsWithoutTheRightBearerTokenGet401(String authorization) throws Exception {
        start("127.0.0.1", TOKEN);
        HttpRequest.Builder b = anonymous().builder("/echo/x/y");
        if (!authorization.isEmpty()) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = anonymous().send(b.GET());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(errorCode(r)).isEqualTo("unauthorized");
        assertThat(r.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Bearer"));
    }

    @Test
    void unknownPathsAreAlso401WithoutTheTokenSoNothingIsRevealed() throws Exception {
        start("127.0.0.1", TOKEN);
        assertThat(anonymous().get("/nope").statusCode()).isEqualTo(401);
    }

    @Test
    void theRightTokenIsAcceptedWhateverTheSchemeCase() throws Exception {
        ControlHttp http = start("127.0.0.1", TOKEN);
        assertThat(http.get("/echo/x/y").statusCode()).isEqualTo(200);
        HttpResponse<String> lower = anonymous().send(anonymous().builder("/echo/x/y")
                .header("Authorization", "bearer " + TOKEN).GET());
        assertThat(lower.statusCode()).isEqualTo(200);
    }

    @Test
    void withoutATokenEverythingIsOpenButOnlyOnLoopback() throws Exception {
        ControlHttp http = start("0.0.0.0", "");
        assertThat(address.getAddress().isLoopbackAddress()).as("bound %s", address).isTrue();
        assertThat(http.get("/echo/x/y").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() throws Exception {
        ControlHttp http = start("127.0.0.1", TOKEN);
        HttpResponse<String> missing = http.get("/echo/x");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(errorCode(missing)).isEqualTo("not_found");
        HttpResponse<String> trailing = http.get("/healthz/");
        assertThat(trailing.statusCode()).isEqualTo(404);
        HttpResponse<String> wrongMethod = http.delete("/echo/x/y");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(errorCode(wrongMethod)).isEqualTo("method_not_allowed");
        assertThat(json(wrongMethod).path("error").path("message").asText()).contains("GET, POST");
    }

    @Test
    void pathParametersAreDecodedPerSegmentAndQueryIsParsed() throws Exception {
        ControlHttp http = start("127.0.0.1", TOKEN);
        HttpResponse<String> r = http.get("/echo/a%2Fb/c%20d?q=v%26w");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("params").path("a").asText()).isEqualTo("a/b");
        assertThat(json(r).path("params").path("b").asText()).isEqualTo("c d");
        assertThat(json(r).path("q").asText()).isEqualTo("v&w");
    }

    @Test
    void bodyOverTheLimitIs413WhenContentLengthSaysSoAndTheConnectionStaysUsable() throws Exception {
        ControlHttp http = start("127.0.0.1", TOKEN);
        HttpResponse<String> r = http.post("/echo/x/y", "application/octet-stream", new byte[MAX_BODY + 1]);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(errorCode(r)).isEqualTo("body_too_large");
        HttpResponse<String> ok = http.post("/echo/x/y", "application/octet-stream", new byte[MAX_BODY]);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).path("bodyBytes").asInt()).isEqualTo(MAX_BODY);
    }

    @Test
    void chunkedBodyGrowingPastTheLimitIs413() throws Exception {
        ControlHttp http = start("127.0.0.1", TOKEN);
        byte[] big = new byte[MAX_BODY * 3];
        HttpResponse<String> r = http.send(http.builder("/echo/x/y")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(errorCode(r)).isEqualTo("body_too_large");
    }

    /** Raw socket, as curl does it (JDK 17's HttpClient hangs on a final answer to Expect, JDK-8286171). */
    @Test
    void expectContinueWithTooLargeContentLengthIs413BeforeTheBodyIsSent() throws Exception {
        start("127.0.0.1", "");
        try (Socket s = new Socket("127.0.0.1", address.getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /echo/x/y HTTP/1.1\r\nHost: x\r\nContent-Length: " + (MAX_BODY * 2)
                    + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String first = readResponse(s.getInputStream());
            assertThat(first).startsWith("HTTP/1.1 413").contains("\"body_too_large\"").doesNotContain("100 Continue");
            // The body was never sent; the connection serves the next request.
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(new String(readToEnd(s.getInputStream()), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200");
        }
    }

    /** One response whose body length is given by Content-Length. */
    private static String readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        Matcher m = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void routeExceptionsAndFailedFuturesAre500() throws Exception {
        ControlHttp http = start("127.0.0.1", TOKEN);
        for (String path : List.of("/boom", "/fail")) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(500);
            assertThat(errorCode(r)).isEqualTo("internal_error");
            assertThat(r.body()).doesNotContain("bug");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        start("127.0.0.1", "");
        try (Socket s = new Socket("127.0.0.1", address.getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /echo/1/2 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String all = new String(readToEnd(s.getInputStream()), StandardCharsets.UTF_8);
            int slow = all.indexOf("{\"slow\":true}");
            int echo = all.indexOf("\"bodyBytes\"");
            int health = all.indexOf("{\"status\":\"ok\"}");
            assertThat(slow).isPositive();
            assertThat(echo).isGreaterThan(slow);
            assertThat(health).isGreaterThan(echo);
            assertThat(all.split("HTTP/1.1 200 OK", -1)).hasSize(4);
        }
    }

    @Test
    void malformedRequestIs400AndClosed() throws Exception {
        start("127.0.0.1", "");
        try (Socket s = new Socket("127.0.0.1", address.getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String all = new String(readToEnd(s.getInputStream()), StandardCharsets.UTF_8);
            assertThat(all).startsWith("HTTP/1.1 400").contains("\"bad_request\"");
        }
    }

    @Test
    void stopClosesIdleKeepAliveConnections() throws Exception {
        start("127.0.0.1", "");
        try (Socket s = new Socket("127.0.0.1", address.getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] first = new byte[256];
            assertThat(s.getInputStream().read(first)).isPositive();
            server.stop();
            server = null;
            assertThat(readToEnd(s.getInputStream())).isEmpty();
        }
    }

    private static byte[] readToEnd(InputStream in) throws Exception {
        return in.readAllBytes();
    }
}
