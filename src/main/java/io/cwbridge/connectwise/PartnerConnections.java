package io.cwbridge.connectwise;

import java.util.Optional;

/**
 * Where a partner's ConnectWise connection is kept (the {@code partner} package stores it); the
 * client side needs only this look-up, so it does not depend on how partners are stored.
 */
public interface PartnerConnections {

    /** The partner's connection, decrypted; empty when it has none. */
    Optional<ConnectWiseConnection> find(String partnerId);
}
