package io.helloserverless.archfixtures.violations.core.domain;

import io.helloserverless.archfixtures.violations.core.usecase.SaveFile;

/** Deliberately bad: the domain reaching outward to a use case. */
public record FileRecord(String name) {

    public void save(SaveFile useCase) {
        useCase.save(this);
    }
}
