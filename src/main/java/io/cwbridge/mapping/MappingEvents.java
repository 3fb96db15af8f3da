package io.cwbridge.mapping;

import io.cwbridge.sync.MappingChanged;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Publishes {@link MappingChanged} only once the change is committed: a listener that retries
 * tasks must find the mapping when it looks, and must not act on a change that was rolled back.
 */
@Component
class MappingEvents {

    private final ApplicationEventPublisher publisher;

    MappingEvents(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    void changed(MappingChanged event) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    publisher.publishEvent(event);
                }
            });
        } else {
            // No transaction around us: the statement has already been committed on its own.
            publisher.publishEvent(event);
        }
    }
}
