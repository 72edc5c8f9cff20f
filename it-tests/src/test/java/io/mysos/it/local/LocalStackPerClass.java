package io.mysos.it.local;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process {@code mysos local} shared by a test class, as a static {@code @RegisterExtension} field:
 * started on a fresh data directory before the class's first test, stopped after its last (also when a
 * start failed), with every process under the data directory killed and the directory removed.
 */
final class LocalStackPerClass implements BeforeAllCallback, AfterAllCallback {
    private final String prefix;
    private final io.mysos.dist.EndpointOptions endpoints;
    private Path dataDir;
    private LocalStack stack;

    /** {@code prefix}: the name the data directory in the temp dir begins with. */
    LocalStackPerClass(String prefix) {
        this(prefix, io.mysos.dist.EndpointOptions.defaults());
    }

    /** Serving endpoints as {@code endpoints} say (e.g. forwarded by the kernel). */
    LocalStackPerClass(String prefix, io.mysos.dist.EndpointOptions endpoints) {
        this.prefix = prefix;
        this.endpoints = endpoints;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory(prefix);
        stack = LocalStack.startInProcess(dataDir, endpoints);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dataDir != null) {
            LocalStack.closeAndRemove(stack, dataDir);
        }
    }

    LocalStack stack() {
        return stack;
    }

    Path dataDir() {
        return dataDir;
    }

    Api api() {
        return stack.api();
    }
}
