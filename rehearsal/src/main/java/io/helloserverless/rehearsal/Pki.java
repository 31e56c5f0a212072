package io.helloserverless.rehearsal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The rehearsal's certificate authority, made once by the JDK's keytool and kept under the data
 * folder: it signs one server certificate for {@code localhost} and {@code 127.0.0.1} that the
 * database, the cache and the gateway present, as AWS's CAs sign RDS's, ElastiCache's and the
 * custom domain's. Files are PEM, as PostgreSQL and Redis read them.
 */
final class Pki {

    private static final String PASSWORD = "rehearsal";

    final Path caPem;
    final Path serverCertPem;
    final Path serverKeyPem;
    final Path serverKeyStore;
    /** The JDK's trusted roots plus this CA: what a function's JVM trusts here. */
    final Path trustStore;

    private Pki(Path folder) {
        caPem = folder.resolve("ca.pem");
        serverCertPem = folder.resolve("server.pem");
        serverKeyPem = folder.resolve("server.key");
        serverKeyStore = folder.resolve("server.p12");
        trustStore = folder.resolve("truststore.p12");
    }

    static Pki open(Path folder) throws Exception {
        Pki pki = new Pki(folder);
        if (!Files.exists(pki.trustStore)) {
            // The keys are readable by their owner only (the store password is no secret).
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            pki.make(folder);
        }
        return pki;
    }

    SSLContext serverContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverKeyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private void make(Path folder) throws Exception {
        Path caStore = folder.resolve("ca.p12");
        Files.deleteIfExists(caStore);
        Files.deleteIfExists(serverKeyStore);
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650",
                "-dname", "CN=hello-serverless rehearsal CA", "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign",
                "-keystore", caStore.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-file", caPem.toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650",
                "-dname", "CN=localhost", "-keystore", serverKeyStore.toString());
        Path request = folder.resolve("server.csr");
        keytool("-certreq", "-alias", "server", "-keystore", serverKeyStore.toString(), "-file", request.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-infile", request.toString(),
                "-outfile", serverCertPem.toString(), "-rfc", "-validity", "3650",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-ext", "eku=serverAuth", "-ext", "ku:c=digitalSignature");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", serverKeyStore.toString());
        keytool("-importcert", "-alias", "server", "-file", serverCertPem.toString(), "-keystore", serverKeyStore.toString());
        Files.delete(request);
        writeServerKey();
        writeTrustStore();
    }

    /** PKCS#8 PEM, readable by the owner only, as PostgreSQL insists. */
    private void writeServerKey() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverKeyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey("server", PASSWORD.toCharArray());
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.deleteIfExists(serverKeyPem);
        Files.createFile(serverKeyPem, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(serverKeyPem, pem);
    }

    private void writeTrustStore() throws Exception {
        KeyStore jdk = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            jdk.load(in, null);
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (String alias : java.util.Collections.list(jdk.aliases())) {
            trusted.setCertificateEntry(alias, jdk.getCertificate(alias));
        }
        try (InputStream in = Files.newInputStream(caPem)) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trusted.setCertificateEntry("hello-serverless-rehearsal-ca", ca);
        }
        try (var out = Files.newOutputStream(trustStore)) {
            trusted.store(out, PASSWORD.toCharArray());
        }
    }

    static String trustStorePassword() {
        return PASSWORD;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
