package io.cwbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Whether the sandbox speaks ConnectWise to a client others wrote against the real API: the npm package
 * {@code connectwise-rest} (1.3.0, pinned by {@code src/test/node/connectwise-rest/package-lock.json}) drives companies,
 * catalog items, agreements and additions over real HTTP, with its own paging, conditions, PATCH and error handling
 * (script {@code sandbox-speaks-connectwise.js}; it exits with the number of checks that failed). Skipped only where
 * this machine has no Node.js or cannot install the package.
 */
class ConnectWiseRestClientTest extends SandboxHttpTestBase {

    private static final Path SOURCE = Path.of("src/test/node/connectwise-rest");
    private static final Path WORK = Path.of("target/connectwise-rest-check");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "sandbox-speaks-connectwise.js");

    @Test
    void connectwiseRestFindsTheSandboxAsTheRealApi() throws Exception {
        Assumptions.assumeTrue(run(List.of("node", "--version"), Map.of(), 30).exit() == 0, "Node.js is not on this machine");
        install();
        Result result = run(List.of("node", "sandbox-speaks-connectwise.js"), Map.of("CW_HOST", "localhost:" + port,
                "CW_COMPANY", properties.companyId(), "CW_PUBLIC", properties.publicKey(), "CW_PRIVATE", properties.privateKey(),
                "CW_CLIENT", properties.clientId()), 180);
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains(" passed, 0 failed").doesNotContain("FAIL");
    }

    /** npm ci into target/, once per lock file (a later run reuses the installed package). */
    private static void install() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        boolean current = Files.isDirectory(WORK.resolve("node_modules/connectwise-rest"))
                && Files.exists(WORK.resolve("package-lock.json"))
                && Files.mismatch(SOURCE.resolve("package-lock.json"), WORK.resolve("package-lock.json")) < 0;
        for (String file : FILES) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (current) return;
        Result npm = run(List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"), Map.of(), 300);
        Assumptions.assumeTrue(npm.exit() == 0, () -> "connectwise-rest could not be installed here: " + npm.output());
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, Map<String, String> env, int seconds) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            Files.createDirectories(WORK);
            process = builder.start();
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
        process.getOutputStream().close();
        // the output is small: read it whole once the process has ended (or been stopped)
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-2, command + " did not end within " + seconds + " s: "
                    + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
