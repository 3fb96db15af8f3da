package io.cwbridge.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static SecretKeySpec randomKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return new SecretKeySpec(raw, "AES");
    }

    private final SecretCipher cipher = new SecretCipher(randomKey());

    @Test
    void roundTripsAndNeverStoresThePlaintext() {
        String sealed = cipher.encrypt("privKey-Sx9!", "partner_connection:acme:privateKey");
        assertThat(sealed).doesNotContain("privKey");
        assertThat(new String(Base64.getDecoder().decode(sealed))).doesNotContain("privKey");
        assertThat(cipher.decrypt(sealed, "partner_connection:acme:privateKey")).isEqualTo("privKey-Sx9!");
    }

    @Test
    void sameSecretEncryptsDifferentlyEachTime() {
        assertThat(cipher.encrypt("k", "c")).isNotEqualTo(cipher.encrypt("k", "c"));
    }

    @Test
    void ciphertextIsBoundToItsRowAndField() {
        String sealed = cipher.encrypt("Xq-7781-priv", "partner_connection:acme:privateKey");
        assertThatThrownBy(() -> cipher.decrypt(sealed, "partner_connection:other:privateKey"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("Xq-7781");
    }

    @Test
    void anotherMasterKeyCannotRead() {
        String sealed = cipher.encrypt("secret", "c");
        assertThatThrownBy(() -> new SecretCipher(randomKey()).decrypt(sealed, "c"))
                .hasMessage("stored secret cannot be decrypted with the configured master key");
    }

    @Test
    void tamperedCiphertextIsRejected() {
        byte[] raw = Base64.getDecoder().decode(cipher.encrypt("secret", "c"));
        raw[raw.length - 1] ^= 1;
        assertThatThrownBy(() -> cipher.decrypt(Base64.getEncoder().encodeToString(raw), "c"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesKeysThatAreNot256Bits() {
        assertThatThrownBy(() -> new SecretCipher(new SecretKeySpec(new byte[16], "AES")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
