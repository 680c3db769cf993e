from scans.scoring import RatingInput, Tier, movements, score_ratings, tier_for_score


def r(key, rating, trend=""):
    return RatingInput(key=key, label=key.title(), rating=rating, trend=trend)


def test_it_scores_the_share_of_possible_points():
    result = score_ratings([r("a", 1), r("b", 2), r("c", 0)])
    assert result.score == 33  # 3 of 9 points
    assert result.points == 3 and result.rated == 3


def test_it_ignores_unrated_indicators_rather_than_counting_them_as_zero():
    assert score_ratings([r("a", 3), r("b", None)]).score == 100


def test_it_scores_an_empty_scan_zero_and_low():
    result = score_ratings([])
    assert (result.score, result.tier) == (0, Tier.LOW)


def test_it_maps_scores_to_tiers_at_the_thresholds():
    assert [tier_for_score(s) for s in (0, 14, 15, 34, 35, 59, 60, 100)] == [
        Tier.LOW, Tier.LOW, Tier.MODERATE, Tier.MODERATE, Tier.HIGH, Tier.HIGH, Tier.VERY_HIGH, Tier.VERY_HIGH,
    ]


def test_it_never_averages_a_severe_indicator_away():
    ratings = [r("hate", 3)] + [r(f"x{i}", 0) for i in range(9)]
    result = score_ratings(ratings)
    assert result.score == 10
    assert result.tier == Tier.HIGH
    assert any("Hate" in reason for reason in result.reasons)


def test_it_raises_to_very_high_with_three_severe_indicators():
    ratings = [r("a", 3), r("b", 3), r("c", 3)] + [r(f"x{i}", 0) for i in range(7)]
    assert score_ratings(ratings).tier == Tier.VERY_HIGH


def test_it_lists_drivers_by_rating_then_worsening():
    result = score_ratings([r("a", 1), r("b", 2), r("c", 2, "worsening"), r("d", 0)])
    assert [d.key for d in result.drivers] == ["c", "b", "a"]
    assert result.drivers[0].points_share == 40  # 2 of 5 points
    assert result.worsening == 1


def test_it_reports_what_moved_biggest_change_first():
    before = [r("a", 1), r("b", 2), r("c", 0)]
    after = [r("a", 3), r("b", 1), r("c", 0), r("new", 2)]
    moved = movements(before, after)
    assert [(m.key, m.delta) for m in moved] == [("a", 2), ("b", -1)]


def test_it_compares_nothing_on_a_first_scan():
    assert movements([], [r("a", 3)]) == []
