package io.cwbridge.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM encryption of partner secrets. The ciphertext is bound to its owner and field
 * (additional authenticated data), so a value copied to another row or column fails to decrypt.
 * Format: base64(version | 12-byte nonce | ciphertext with 128-bit tag).
 */
public final class SecretCipher {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(SecretKey key) {
        if (!"AES".equals(key.getAlgorithm()) || key.getEncoded().length != 32) {
            throw new IllegalArgumentException("master key must be a 256-bit AES key");
        }
        this.key = key;
    }

    public String encrypt(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length);
            out.put(VERSION).put(nonce).put(sealed);
            return Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("secret encryption failed", e);
        }
    }

    public String decrypt(String encoded, String context) {
        try {
            ByteBuffer in = ByteBuffer.wrap(Base64.getDecoder().decode(encoded));
            if (in.get() != VERSION) {
                throw new IllegalStateException("unknown secret format");
            }
            byte[] nonce = new byte[NONCE_BYTES];
            in.get(nonce);
            byte[] sealed = new byte[in.remaining()];
            in.get(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(sealed), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Never include the value: only say that it could not be read.
            throw new IllegalStateException("stored secret cannot be decrypted with the configured master key");
        }
    }
}
