package io.helloserverless.archfixtures.violations.cycle.b;

import io.helloserverless.archfixtures.violations.cycle.a.A;

/** Deliberately bad: the other half of a package cycle. */
public class B {

    public A previous() {
        return new A();
    }
}
