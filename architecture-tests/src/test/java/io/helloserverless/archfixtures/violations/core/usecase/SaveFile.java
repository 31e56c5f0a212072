package io.helloserverless.archfixtures.violations.core.usecase;

import io.helloserverless.archfixtures.violations.core.domain.FileRecord;

public class SaveFile {

    public void save(FileRecord file) {
        file.name();
    }
}
