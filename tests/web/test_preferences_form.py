"""The preferences form says what is wrong (issue 17): the uncertainty ranges are shown and edited
next to their estimates, every validation problem is shown at its field (a reservation value outside
its range was refused with "1 problem(s); nothing was saved" and nothing visible), and a failed save
shows what was typed."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import workbench
from tests.web.conftest import NAME, A, Workbench, log_in

P = f"/n/{NAME}"
MEDIATOR = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})


class _Form(HTMLParser):
    """The fields of the page's #preferences form as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = found.get("id") == "preferences"
        if not self.inside:
            return
        if tag == "input" and (found.get("type") != "checkbox" or "checked" in found):
            self.fields.append((found["name"], found.get("value", "on")))
        if tag == "textarea":
            self._textarea = found["name"]
            self.fields.append((found["name"], ""))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[-1] = (self._textarea, self.fields[-1][1] + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        if tag == "form":
            self.inside = False


def form_of(page: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(page)
    return dict(parser.fields)


def problem_at(page: str, field: str) -> str:
    found = re.search(rf'id="problem-{re.escape(field)}">([^<]*)<', page)
    assert found, f"no problem shown at {field}"
    return html.unescape(found.group(1))


def spread_of(bench: Workbench, party: str) -> dict[str, object]:
    return dict(workbench.preferences(bench.database, MEDIATOR, NAME, party).get("uncertainty") or {})


def test_the_form_shows_the_uncertainty_ranges_next_to_their_estimates(bench: Workbench) -> None:
    log_in(bench.client, A)
    fields = form_of(bench.client.get(f"{P}/preferences/{A}").text)
    assert fields["spread.reservation_value"] == "triangular:0.4:0.5:0.55"
    assert fields["spread.weights.dirichlet"] == "60"
    assert fields["spread.score.territory.swaps-from-loc"] == "range:0:4"
    assert fields["spread.score.territory.free-economic-zone"] == "triangular:3:5:7"


def test_a_reservation_value_outside_its_range_is_refused_at_that_range_and_the_input_kept(
    bench: Workbench,
) -> None:
    csrf = log_in(bench.client, A)
    fields = form_of(bench.client.get(f"{P}/preferences/{A}").text)
    before = workbench.preferences(bench.database, MEDIATOR, NAME, A)
    refused = bench.client.post(
        f"{P}/preferences/{A}", data=fields | {"reservation_value": "0.6", "csrf_token": csrf}
    )
    assert refused.status_code == 422
    assert "0.6 lies outside [0.4, 0.5, 0.55]" in problem_at(refused.text, "uncertainty.reservation_value")
    assert form_of(refused.text)["reservation_value"] == "0.6", "what was typed is shown"
    assert workbench.preferences(bench.database, MEDIATOR, NAME, A) == before, "nothing was saved"
    # widened next to it, the same value saves
    saved = bench.client.post(
        f"{P}/preferences/{A}",
        data=fields
        | {"reservation_value": "0.6", "spread.reservation_value": "range:0.4:0.7"}
        | {"csrf_token": csrf},
    )
    assert saved.status_code == 200 and 'id="saved"' in saved.text
    assert spread_of(bench, A)["reservation_value"] == {"range": [0.4, 0.7]}
    assert workbench.preferences(bench.database, MEDIATOR, NAME, A)["reservation_value"] == 0.6


def test_every_problem_is_shown_at_its_field_and_every_typed_value_kept(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    fields = form_of(bench.client.get(f"{P}/preferences/{A}").text)
    typed = fields | {
        "weight.territory": "heavy",
        "spread.score.territory.swaps-from-loc": "between 0 and 4",
        "spread.weight.sovereignty": "range:1:2",  # with a concentration as well: not both
        "score.sovereignty.reaffirmed": "12",  # over the score scale
        "csrf_token": csrf,
    }
    refused = bench.client.post(f"{P}/preferences/{A}", data=typed)
    assert refused.status_code == 422
    page = refused.text
    assert "expected a number" in problem_at(page, "weights.territory")
    assert "triangular:LOW:MODE:HIGH" in problem_at(page, "uncertainty.scores.territory.swaps-from-loc")
    assert "not both" in problem_at(page, "uncertainty.weights")
    kept = form_of(page)
    for field in ("weight.territory", "spread.score.territory.swaps-from-loc", "spread.weight.sovereignty"):
        assert kept[field] == typed[field]
    # with the form's own problems fixed, the validator's: at the score, next to its range
    fixed = typed | {
        "weight.territory": "9",
        "spread.score.territory.swaps-from-loc": "range:0:4",
        "spread.weight.sovereignty": "",
    }
    refused = bench.client.post(f"{P}/preferences/{A}", data=fixed)
    assert refused.status_code == 422
    assert problem_at(refused.text, "scores.sovereignty.reaffirmed")
    assert form_of(refused.text)["score.sovereignty.reaffirmed"] == "12"
    count = re.search(r"(\d+) problems?\b", refused.text)
    shown = len(re.findall(r'class="field-error" role="alert"', refused.text))
    assert count and int(count.group(1)) <= shown, "every problem is shown"


def test_an_uncertainty_range_is_added_and_removed_from_the_form(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    fields = form_of(bench.client.get(f"{P}/preferences/{A}").text)
    weight = fields["weight.sovereignty"]
    saved = bench.client.post(
        f"{P}/preferences/{A}",
        data=fields
        | {
            "spread.weights.dirichlet": "",
            "spread.weight.sovereignty": f"normal:{weight}:1:0:{float(weight) + 5}",
            "spread.score.territory.free-economic-zone": "",
            "csrf_token": csrf,
        },
    )
    assert saved.status_code == 200 and 'id="saved"' in saved.text, saved.text[-2000:]
    spread = spread_of(bench, A)
    weights = spread["weights"]
    assert isinstance(weights, dict) and "dirichlet" not in weights
    assert weights["sovereignty"] == {
        "normal": {"mean": float(weight), "sd": 1, "range": [0, float(weight) + 5]}
    }
    scores = spread["scores"]
    assert isinstance(scores, dict) and "free-economic-zone" not in scores["territory"]


def test_a_form_without_the_uncertainty_keeps_it(bench: Workbench) -> None:
    """A form that carries only some fields (a script, an older page) changes only those."""
    csrf = log_in(bench.client, A)
    before = spread_of(bench, A)
    saved = bench.client.post(f"{P}/preferences/{A}", data={"csrf_token": csrf, "reservation_value": "0.45"})
    assert saved.status_code == 200 and 'id="saved"' in saved.text
    assert spread_of(bench, A) == before
