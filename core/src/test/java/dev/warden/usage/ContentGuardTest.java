package dev.warden.usage;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContentGuardTest {
    @Test
    void noFocusColumnName_looksLikeContent() {
        for (Focus.Column c : Focus.COLUMNS) {
            assertThat(ContentGuard.name(c.name())).as(c.name()).isEmpty();
        }
    }

    @Test
    void customColumnsOfRealExports_andQuantities_doNotLookLikeContent() {
        for (String name : List.of("x_SkuMeterCategory", "x_ResourceGroupName", "x_InvoiceSectionName", "x_ServiceCode",
                "x_UsageType", "x_BillingCountry", "x_CostCenter", "x_SkuDescription", "x_AccountOwnerId", "x_Operation",
                "x_MessageCount", "x_PromptTokens", "x_AudioSeconds", "x_ContentDeliveryTier", "x_ExportTime")) {
            assertThat(ContentGuard.name(name)).as(name).isEmpty();
        }
    }

    @Test
    void folding_seesThroughCaseSeparatorsLookAlikesAndDigits() {
        assertThat(ContentGuard.fold("x_MSG-Body", false, 'i')).isEqualTo("xmsgbody");
        assertThat(ContentGuard.fold("x_Тrаnscript", false, 'i')).isEqualTo("xtranscript");
        assertThat(ContentGuard.fold("x_\uFF34ranscript\u200B", false, 'i')).isEqualTo("xtranscript");
        assertThat(ContentGuard.fold("x_Ca11er", true, 'l')).isEqualTo("xcaller");
    }
}
