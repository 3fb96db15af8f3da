package io.cwbridge.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Candidate ranking for customers without an exact-name company (R1). */
class NameSimilarityTest {

    @Test
    void identicalNamesScoreOneAndUnrelatedOnesLow() {
        assertThat(NameSimilarity.score("Chairs Unlimited", "Chairs Unlimited")).isEqualTo(1.0);
        assertThat(NameSimilarity.score("Chairs Unlimited", "Zyx Qwv")).isLessThan(0.3);
        assertThat(NameSimilarity.score("", "Chairs")).isZero();
    }

    @Test
    void closerNamesRankHigher() {
        String name = "Contoso Dental";
        double clinic = NameSimilarity.score(name, "Contoso Dental Clinic");
        double other = NameSimilarity.score(name, "Contoso Pharmacy Group");
        double caseOnly = NameSimilarity.score(name, "CONTOSO DENTAL");
        assertThat(caseOnly).isGreaterThan(clinic);
        assertThat(clinic).isGreaterThan(other);
    }

    @Test
    void wordsToSearchAreLowerCasedAndSkipShortOnes() {
        assertThat(NameSimilarity.words("Chairs & Co. Unlimited, Inc")).containsExactly("chairs", "unlimited", "inc");
    }

    @Test
    void levenshteinCountsEdits() {
        assertThat(NameSimilarity.levenshtein("kitten", "sitting")).isEqualTo(3);
        assertThat(NameSimilarity.levenshtein("", "abc")).isEqualTo(3);
    }
}
