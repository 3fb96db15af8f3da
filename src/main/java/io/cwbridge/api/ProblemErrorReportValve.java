package io.cwbridge.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error answer as problem+json, for requests Tomcat refuses before the application sees them: a path with
 * an encoded slash, backslash or NUL, a malformed %-escape, a header or request line beyond the limits (a black-box
 * probe of stop 32 got Tomcat's HTML page for these). The rest of the bundle's errors are the application's
 * problem+json (ApiExceptionHandler, ApiErrorController); this valve answers only when nothing was written. Neither the
 * refused address nor the server's name and version is echoed.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // as ErrorReportValve: nothing for 1xx-3xx, nothing once content was written or the error was reported
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known != null ? known.getReasonPhrase() : status < 500 ? "Client Error" : "Server Error";
        String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                + "The request was refused before it reached the API: its address, a header or the request line is not one "
                + "the server accepts (for example an encoded slash or NUL in a path segment, or a header beyond the size limit).\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response already committed: nothing more to say
            response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, e);
        }
    }
}
