package io.cwbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: how a first sale's ConnectWise read (R4's agreement search, R6's additions read) is reused by the other
 * first sales of a burst ({@link FirstSaleReads.Reuse}): within the window from when the read began, only when the
 * answer lets the sale go on, one read for sales that ask while it is under way, none after a failed read.
 */
class FirstSaleReadsReuseTest {

    final AtomicLong nanos = new AtomicLong();
    final Ticker ticker = nanos::get;
    final AtomicInteger reads = new AtomicInteger();

    Supplier<List<String>> read(String... answer) {
        return () -> {
            reads.incrementAndGet();
            return List.of(answer);
        };
    }

    @Test
    void anAnswerIsReusedWithinTheWindowFromWhenItsReadBegan() {
        FirstSaleReads.Reuse<String, String> reuse = new FirstSaleReads.Reuse<>(Duration.ofSeconds(5), ticker);
        FirstSaleReads.Answer<String> first = reuse.answer("company 1", a -> true, read("agreement 7"));
        nanos.addAndGet(Duration.ofMillis(4_999).toNanos());
        FirstSaleReads.Answer<String> second = reuse.answer("company 1", a -> true, read("agreement 8"));
        assertThat(first).isEqualTo(new FirstSaleReads.Answer<>(List.of("agreement 7"), false));
        assertThat(second).isEqualTo(new FirstSaleReads.Answer<>(List.of("agreement 7"), true));
        assertThat(reuse.answer("company 2", a -> true, read("agreement 9")).reused()).as("another key").isFalse();
        nanos.addAndGet(Duration.ofMillis(2).toNanos());
        assertThat(reuse.answer("company 1", a -> true, read("agreement 8"))).as("past the window")
                .isEqualTo(new FirstSaleReads.Answer<>(List.of("agreement 8"), false));
        assertThat(reads).hasValue(3);
    }

    @Test
    void anAnswerThatWouldStopTheSaleIsReadAgainAndTheNewAnswerIsKept() {
        FirstSaleReads.Reuse<String, String> reuse = new FirstSaleReads.Reuse<>(Duration.ofSeconds(5), ticker);
        reuse.answer("agreement 7", a -> true, read("hand-made 41"));
        FirstSaleReads.Answer<String> again = reuse.answer("agreement 7", List::isEmpty, read());
        assertThat(again).isEqualTo(new FirstSaleReads.Answer<>(List.of(), false));
        assertThat(reuse.answer("agreement 7", List::isEmpty, read("hand-made 42"))).as("the fresh answer is reused")
                .isEqualTo(new FirstSaleReads.Answer<>(List.of(), true));
        assertThat(reads).hasValue(2);
    }

    @Test
    void aZeroWindowReadsEveryTime() {
        FirstSaleReads.Reuse<String, String> reuse = new FirstSaleReads.Reuse<>(Duration.ZERO, ticker);
        reuse.answer("company 1", a -> true, read("agreement 7"));
        assertThat(reuse.answer("company 1", a -> true, read("agreement 7")).reused()).isFalse();
        assertThat(reads).hasValue(2);
    }

    @Test
    void aSaleThatAsksWhileTheReadIsUnderWayWaitsForItsAnswer() throws Exception {
        FirstSaleReads.Reuse<String, String> reuse = new FirstSaleReads.Reuse<>(Duration.ofSeconds(5), ticker);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        CompletableFuture<FirstSaleReads.Answer<String>> first = CompletableFuture.supplyAsync(() -> reuse.answer("company 1",
                a -> true, () -> {
                    reads.incrementAndGet();
                    reading.countDown();
                    await(answer);
                    return List.of("agreement 7");
                }));
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<FirstSaleReads.Answer<String>> second = CompletableFuture.supplyAsync(
                () -> reuse.answer("company 1", a -> true, read("agreement 8")));
        Thread.sleep(100);
        assertThat(second).as("waits for the read under way").isNotDone();
        answer.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new FirstSaleReads.Answer<>(List.of("agreement 7"), false));
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(new FirstSaleReads.Answer<>(List.of("agreement 7"), true));
        assertThat(reads).hasValue(1);
    }

    @Test
    void aFailedReadIsNotReused() {
        FirstSaleReads.Reuse<String, String> reuse = new FirstSaleReads.Reuse<>(Duration.ofSeconds(5), ticker);
        assertThatThrownBy(() -> reuse.answer("company 1", a -> true, () -> {
            throw new IllegalStateException("ConnectWise unavailable");
        })).hasMessage("ConnectWise unavailable");
        assertThat(reuse.answer("company 1", a -> true, read("agreement 7")))
                .isEqualTo(new FirstSaleReads.Answer<>(List.of("agreement 7"), false));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
