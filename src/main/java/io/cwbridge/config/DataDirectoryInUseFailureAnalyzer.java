package io.cwbridge.config;

import io.cwbridge.config.DataDirectoryLock.DataDirectoryInUseException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says plainly which bundle holds the data folder and what to do, instead of a stack trace. */
class DataDirectoryInUseFailureAnalyzer extends AbstractFailureAnalyzer<DataDirectoryInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataDirectoryInUseException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Use the bundle that is already running" + (cause.owner() != null && !cause.owner().port().isEmpty()
                        ? " (http://localhost:" + cause.owner().port() + "/)" : "")
                        + ", stop it first, or start this one on another folder with --cwbridge.data-dir=<folder>.",
                cause);
    }
}
