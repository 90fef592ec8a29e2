package dev.relay.codec;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * relay-codec's one architecture rule: it is plain Java over primitive arrays, usable by the
 * benchmarks and by any server, so it depends neither on Netty nor on anything of relay-core.
 */
@AnalyzeClasses(packages = "dev.relay.codec", importOptions = ImportOption.DoNotIncludeTests.class)
class CodecArchitectureTest {
    @ArchTest
    static final ArchRule codecUsesNoNettyAndNoCore = noClasses().that().resideInAPackage("dev.relay.codec..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "dev.relay.core..")
            .because("relay-codec is the DSP and wire-format layer beneath the server (STYLE.md)");
}
