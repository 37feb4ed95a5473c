"""Funnel plot limits (Spiegelhalter 2005, Statistics in Medicine 24:1185-1202) against values
computed independently.

Provenance of the reference numbers: a throwaway script with SciPy 1.17.1 (not the engine),
using `scipy.stats.binom`, `scipy.stats.poisson` and `scipy.stats.norm` and the formulas of
Spiegelhalter (2005), Appendix A.1.1: r_p = dist.ppf(p), alpha = (F(r_p) - p) /
(F(r_p) - F(r_p - 1)), limit = (r_p - alpha) / n; normal limits target + norm.ppf(p)
sqrt(V / n); over-dispersion with z-scores Winsorised at the 10th and 90th percentiles
(Spiegelhalter 2005, Qual Saf Health Care 14:347-351): phi = mean(z_w^2), tau^2 =
(I phi - (I - 1)) / (sum w - sum w^2 / sum w), w = n / V. The normal quantiles are
norm.ppf(0.975) = 1.959963984540054 and norm.ppf(0.999) = 3.090232306167813, the z values
Spiegelhalter quotes as 1.96 and 3.09 for the 95 % and 99.8 % limits."""

from __future__ import annotations

import numpy as np
import pytest

from champion import spc

EVENTS = [10, 30, 5, 60]
N = [100, 200, 80, 300]

# Binomial, target 105 / 680 = 0.15441176470588236.
BINOM = {
    0.001: [0.04896593624403031, 0.07806802007981453, 0.037859617493793726, 0.09163798468729872],
    0.025: [0.08180217516518691, 0.10339778222493663, 0.07319740810967448, 0.1129745277018836],
    0.975: [0.22372483046837308, 0.2036846707437895, 0.23182182540315263, 0.19477692190968368],
    0.999: [0.2697600141362587, 0.23541993555939114, 0.2845899830373081, 0.22029345925104565],
}
# Poisson, the same events over exposures [1000, 2000, 800, 3000], per 1,000.
EXPOSURE = [1000, 2000, 800, 3000]
POISSON = {
    0.001: [4.26846333538175, 7.335211939171585, 3.064946530619519, 8.748728911307724],
    0.025: [7.701892877008768, 9.996990715241909, 6.761637547713892, 10.993107300336245],
    0.975: [23.09781073923406, 20.87637137663752, 24.016099711715952, 19.882085501997143],
    0.999: [28.48255969602844, 24.46081966236157, 30.040143589842323, 22.750374619769076],
}
NORMAL = {
    0.001: [0.042748380074000586, 0.07545382822243704, 0.02956830538858586, 0.08994287953004071],
    0.025: [0.08358983593582994, 0.10433309861586765, 0.07523044119213972, 0.1135227050659641],
    0.975: [0.22523369347593475, 0.20449043079589707, 0.233593088219625, 0.19530082434580062],
    0.999: [0.2660751493377641, 0.23336970118932768, 0.27925522402317887, 0.218880649881724],
}
# Over-dispersed: six units, target 147 / 920 = 0.15978260869565217.
OD_EVENTS = [10, 30, 5, 60, 40, 2]
OD_N = [100, 200, 80, 300, 150, 90]
PHI = 4.726595680258396
TAU2 = 0.0043101086022210855
MULT_UPPER_95 = [0.31591136667623587, 0.2701823122019562, 0.33433986673925115,
                 0.2499235891439841, 0.28726120577129116, 0.3243567698529306]  # fmt: skip
MULT_UPPER_998 = [0.40594740337512075, 0.33384740430289855, 0.4350032159809374,
                  0.3019059191688523, 0.360775321896214, 0.41926308567392534]  # fmt: skip
ADD_UPPER_95 = [0.3071404889378496, 0.29811454567628154, 0.3114521669787972,
                0.29497204897086676, 0.30118722253727975, 0.30907216477398325]  # fmt: skip
ADD_LOWER_95 = [0.012424728453454659, 0.021450671715022768, 0.008113050412507122,
                0.024593168420437544, 0.018377994854024554, 0.010493052617321086]  # fmt: skip
# Multiplicative lower 95 % limits; the negative ones are clipped to 0 by the engine.
MULT_LOWER_95 = [0.003653850715068435, 0.0493829051893481, -0.014774649347946867,
                 0.06964162824732022, 0.03230401162001312, -0.004791552461626325]  # fmt: skip


def test_normal_quantiles_match_scipy():
    assert spc.normal_quantile(0.975) == pytest.approx(1.959963984540054, abs=1e-13)
    assert spc.normal_quantile(0.999) == pytest.approx(3.090232306167813, abs=1e-13)
    assert spc.normal_quantile(0.9) == pytest.approx(1.2815515655446004, abs=1e-13)
    assert spc.normal_quantile(0.001) == pytest.approx(-3.090232306167813, abs=1e-13)


def test_exact_binomial_limits():
    f = spc.funnel(EVENTS, N)
    assert f.method == "exact" and f.target == pytest.approx(105 / 680)
    assert f.lower[0.998] == pytest.approx(BINOM[0.001], abs=1e-12)
    assert f.lower[0.95] == pytest.approx(BINOM[0.025], abs=1e-12)
    assert f.upper[0.95] == pytest.approx(BINOM[0.975], abs=1e-12)
    assert f.upper[0.998] == pytest.approx(BINOM[0.999], abs=1e-12)
    # 5/80 = 0.0625 < 0.0732 (low at 95 %); 60/300 = 0.2 > 0.1948 (high at 95 %).
    assert f.outside[0.95] == ["", "", "low", "high"]
    assert f.outside[0.998] == ["", "", "", ""]


def test_exact_poisson_limits_per_1000():
    f = spc.funnel(EVENTS, EXPOSURE, kind="rate", multiply=1000)
    assert f.target == pytest.approx(105 / 6800 * 1000)
    for p, level, side in ((0.001, 0.998, "lower"), (0.025, 0.95, "lower"),
                           (0.975, 0.95, "upper"), (0.999, 0.998, "upper")):  # fmt: skip
        assert getattr(f, side)[level] == pytest.approx(POISSON[p], abs=1e-9)


def test_normal_approximation():
    f = spc.funnel(EVENTS, N, method="normal")
    assert f.lower[0.998] == pytest.approx(NORMAL[0.001], abs=1e-12)
    assert f.lower[0.95] == pytest.approx(NORMAL[0.025], abs=1e-12)
    assert f.upper[0.95] == pytest.approx(NORMAL[0.975], abs=1e-12)
    assert f.upper[0.998] == pytest.approx(NORMAL[0.999], abs=1e-12)
    # By hand: 0.15441 + 1.96 sqrt(0.15441 x 0.84559 / 100) = 0.15441 + 1.96 x 0.036144.
    assert f.upper[0.95][0] == pytest.approx(0.15441 + 1.96 * 0.036144, abs=1e-4)


def test_multiplicative_overdispersion():
    f = spc.funnel(OD_EVENTS, OD_N, overdispersion="multiplicative")
    assert f.method == "normal" and f.phi == pytest.approx(PHI, rel=1e-12)
    assert f.upper[0.95] == pytest.approx(MULT_UPPER_95, abs=1e-12)
    assert f.upper[0.998] == pytest.approx(MULT_UPPER_998, abs=1e-12)
    assert f.lower[0.95] == pytest.approx(np.clip(MULT_LOWER_95, 0, 1), abs=1e-12)


def test_additive_overdispersion():
    f = spc.funnel(OD_EVENTS, OD_N, overdispersion="additive")
    assert f.tau2 == pytest.approx(TAU2, rel=1e-12)
    assert f.upper[0.95] == pytest.approx(ADD_UPPER_95, abs=1e-12)
    assert f.lower[0.95] == pytest.approx(ADD_LOWER_95, abs=1e-12)


def test_no_overdispersion_when_phi_is_small_keeps_the_plain_limits():
    even = spc.funnel([10, 20, 30], [100, 200, 300], overdispersion="multiplicative")
    plain = spc.funnel([10, 20, 30], [100, 200, 300], method="normal")
    assert even.upper[0.95] == pytest.approx(plain.upper[0.95])
    additive = spc.funnel([10, 20, 30], [100, 200, 300], overdispersion="additive")
    assert additive.tau2 == 0.0


def test_the_curve_narrows_as_n_grows_and_brackets_the_units():
    f = spc.funnel(EVENTS, N)
    width = f.curve_upper[0.95] - f.curve_lower[0.95]
    assert width[0] > width[-1]
    assert f.curve_n.min() <= min(N) and f.curve_n.max() >= max(N)
    assert (f.curve_upper[0.998] >= f.curve_upper[0.95]).all()
    data = f.to_dict()
    assert data["units"][2]["outside_95"] == "low" and len(data["curve"]["n"]) == len(f.curve_n)


@pytest.mark.parametrize(
    ("events", "n", "kwargs", "message"),
    [
        ([1, 2], [10], {}, "differ in length"),
        ([1], [10], {}, "at least two units"),
        ([1, 2], [10, 0], {}, "above zero"),
        ([1, -2], [10, 10], {}, "negative"),
        ([11, 2], [10, 10], {}, "more events than its denominator"),
        ([1, 2], [10.5, 10], {}, "whole-number"),
        ([0, 0], [10, 10], {}, "system average"),
        ([1, 2], [10, 10], {"kind": "ratio"}, "Unknown funnel kind"),
        ([1, 2], [10, 10], {"overdispersion": "big"}, "over-dispersion"),
        ([1, 2], [10, 10], {"levels": (95,)}, "between 0 and 1"),
        ([1, float("nan")], [10, 10], {}, "missing"),
    ],
)
def test_bad_input_is_refused_with_a_reason(events, n, kwargs, message):
    with pytest.raises(spc.SPCError, match=message):
        spc.funnel(events, n, **kwargs)
