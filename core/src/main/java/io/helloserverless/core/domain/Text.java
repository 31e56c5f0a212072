package io.helloserverless.core.domain;

/** Character rules shared by names and name prefixes. */
final class Text {

    private Text() {
    }

    /** Describes the first forbidden character in {@code value}, or returns null if there is none. */
    static String forbiddenCharacterIn(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "is not valid Unicode (unpaired surrogate at index " + i + ")";
            } else if (Character.isISOControl(c)) {
                return "contains a control character at index " + i;
            } else if (c == '/' || c == '\\') {
                return "contains '" + c + "'";
            }
        }
        return null;
    }

    static int utf8Length(String value) {
        int bytes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
