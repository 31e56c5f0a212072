package io.helloserverless.local;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;

/**
 * Sends a bare TLS ClientHello of a chosen protocol version and reads the first record the
 * server answers with. The JDK's own TLS client will not even offer TLS 1.1 (it is disabled in
 * the JDK's security settings), so a refusal has to be proven with a hello built by hand.
 */
final class TlsProbe {

    static final int HANDSHAKE = 22;
    static final int ALERT = 21;
    static final int PROTOCOL_VERSION_ALERT = 70;

    /** The server's first record: its content type and, for an alert, its description. */
    record Answer(int recordType, int alertDescription) {
    }

    private TlsProbe() {
    }

    /** {@code minor} is 2 for TLS 1.1, 3 for TLS 1.2 (the version field's second byte). */
    static Answer hello(int port, int minor) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(record(clientHello(minor), minor));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int type = in.readUnsignedByte();
            in.readUnsignedShort();
            int length = in.readUnsignedShort();
            byte[] body = new byte[length];
            in.readFully(body);
            return new Answer(type, type == ALERT ? body[1] & 0xff : -1);
        }
    }

    private static byte[] clientHello(int minor) {
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.write(3);
        hello.write(minor);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        hello.writeBytes(random);
        hello.write(0);
        // ECDHE-ECDSA and ECDHE-RSA suites with AES-GCM (TLS 1.2) and AES-CBC (TLS 1.0/1.1).
        int[] suites = {0xc02b, 0xc02f, 0xc009, 0xc013, 0x002f};
        writeShort(hello, suites.length * 2);
        for (int suite : suites) {
            writeShort(hello, suite);
        }
        hello.write(1);
        hello.write(0);
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        extension(extensions, 0x000a, new byte[] {0, 4, 0, 0x17, 0, 0x18});         // supported groups: P-256, P-384
        extension(extensions, 0x000b, new byte[] {1, 0});                            // EC point formats: uncompressed
        extension(extensions, 0x000d, new byte[] {0, 6, 4, 3, 8, 4, 4, 1});          // signature algorithms
        writeShort(hello, extensions.size());
        hello.writeBytes(extensions.toByteArray());

        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        handshake.write(1);
        handshake.write(hello.size() >> 16);
        writeShort(handshake, hello.size() & 0xffff);
        handshake.writeBytes(hello.toByteArray());
        return handshake.toByteArray();
    }

    private static byte[] record(byte[] handshake, int minor) {
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(HANDSHAKE);
        record.write(3);
        record.write(Math.min(minor, 1));
        writeShort(record, handshake.length);
        record.writeBytes(handshake);
        return record.toByteArray();
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
        writeShort(out, type);
        writeShort(out, data.length);
        out.writeBytes(data);
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write(value >> 8);
        out.write(value & 0xff);
    }
}
