package io.helloserverless.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The laptop server's TLS identity: a self-signed certificate for {@code localhost} and
 * {@code 127.0.0.1}, made once by the JDK's own {@code keytool} and kept in the data folder
 * (with {@code localhost.pem} for clients such as {@code curl --cacert}), so a client can trust
 * it once. Its keystore password is random and kept beside it (owner-only).
 */
final class SelfSignedCertificate {

    static final String ALIAS = "localhost";

    private SelfSignedCertificate() {
    }

    /** Loads the kept certificate, making it on the first run. */
    static SSLContext sslContext(Path folder) throws IOException, GeneralSecurityException, InterruptedException {
        Path keystore = folder.resolve("localhost.p12");
        Path passwordFile = folder.resolve("localhost.p12.password");
        if (!Files.exists(keystore)) {
            Files.createDirectories(folder);
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String password = HexFormat.of().formatHex(random);
            Files.writeString(passwordFile, password);
            restrictToOwner(passwordFile);
            generate(keystore, password);
        }
        char[] password = Files.readString(passwordFile).strip().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void generate(Path keystore, String password) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                "-validity", "825", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass:env", "HS_KEYSTORE_PASSWORD");
        run(command, password);
        restrictToOwner(keystore);
        run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keystore.toString(),
                "-storepass:env", "HS_KEYSTORE_PASSWORD", "-file", keystore.resolveSibling("localhost.pem").toString()),
                password);
    }

    private static void run(List<String> command, String password) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // Through the environment of the child alone, so the password is not on a command line.
        builder.environment().put("HS_KEYSTORE_PASSWORD", password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the user's profile folder protects it.
        }
    }
}
