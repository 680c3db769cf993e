from reviews.ranking import CountryRisk, rank_countries
from reviews.reasons import render_reasons


def c(name, score=None, tier="", previous=None, alerts=0, missing=False, pk=None):
    return CountryRisk(
        country_id=pk or hash(name) % 10_000, name=name, score=score, tier=tier, previous_score=previous,
        alerts=alerts, missing=missing,
    )


def names(ranked):
    return [r.risk.name for r in ranked]


def test_it_ranks_by_tier_before_score():
    # A severe indicator can lift a low score to "high": the tier leads.
    ranked = rank_countries([c("A", 50, "high"), c("B", 30, "high"), c("C", 55, "moderate"), c("D", 70, "very_high")], jump_threshold=10)
    assert names(ranked) == ["D", "A", "B", "C"]
    assert [r.rank for r in ranked] == [1, 2, 3, 4]


def test_ties_break_on_the_rise_then_alerts_then_name():
    ranked = rank_countries(
        [c("Zed", 40, "high", previous=40), c("Ann", 40, "high", previous=40), c("Bob", 40, "high", previous=20),
         c("Cid", 40, "high", previous=40, alerts=1)],
        jump_threshold=10,
    )
    assert names(ranked) == ["Bob", "Cid", "Ann", "Zed"]


def test_a_country_never_scanned_is_ranked_last_but_kept():
    ranked = rank_countries([c("Never"), c("Low", 5, "low")], jump_threshold=10)
    assert names(ranked) == ["Low", "Never"]
    assert not ranked[1].proposed


def test_a_missing_scan_keeps_its_last_known_risk_and_flag():
    ranked = rank_countries([c("Late", 70, "very_high", missing=True), c("Fine", 20, "moderate")], jump_threshold=10)
    assert names(ranked) == ["Late", "Fine"]
    assert ranked[0].risk.missing and ranked[0].proposed


def test_it_proposes_high_tiers_jumps_and_alerts_and_says_why():
    ranked = rank_countries(
        [c("High", 40, "high"), c("Jump", 30, "moderate", previous=15), c("Alert", 5, "low", alerts=2),
         c("Calm", 10, "low", previous=5)],
        jump_threshold=10,
    )
    reasons = {r.risk.name: render_reasons(r.reasons) for r in ranked}
    assert reasons["High"] == ["Tier is high."]
    assert reasons["Jump"] == ["Score rose by 15 points since the previous scan."]
    assert reasons["Alert"] == ["2 urgent alerts since the last review."]
    assert reasons["Calm"] == []


def test_a_first_ever_scan_has_no_jump():
    (only,) = rank_countries([c("New", 30, "moderate")], jump_threshold=10)
    assert only.risk.change is None and only.reasons == []
