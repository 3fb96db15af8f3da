package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.connectwise.ConnectWiseHttp.NoAnswer.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.junit.jupiter.api.Test;

/**
 * How a call that got no answer is classed: only what never left the bundle may be sent again freely
 * (even a create); a time-out or a broken connection may have reached ConnectWise (ambiguous).
 */
class ConnectWiseHttpNoAnswerTest {

    @Test
    void aRequestCamelCouldNotTakeNeverLeftTheBundle() {
        // the transport route not started yet (start-up) or stopped (shut-down)
        assertThat(ConnectWiseHttp.noAnswer(new DirectConsumerNotAvailableException("no consumer", null), null).kind())
                .isEqualTo(Kind.UNREACHABLE);
        assertThat(ConnectWiseHttp.noAnswer(new RejectedExecutionException("CamelContext is stopped"), null).kind())
                .isEqualTo(Kind.UNREACHABLE);
        assertThat(ConnectWiseHttp.noAnswer(new ConnectException("refused"), null).kind()).isEqualTo(Kind.UNREACHABLE);
    }

    @Test
    void aTimeOutOrABrokenConnectionMayHaveReachedConnectWise() {
        assertThat(ConnectWiseHttp.noAnswer(new SocketTimeoutException("read timed out"), null).kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(ConnectWiseHttp.noAnswer(new IOException("connection reset"), null).kind()).isEqualTo(Kind.IO);
    }
}
