package io.helloserverless.archfixtures.violations.cycle.a;

import io.helloserverless.archfixtures.violations.cycle.b.B;

/** Deliberately bad: half of a package cycle. */
public class A {

    public B next() {
        return new B();
    }
}
