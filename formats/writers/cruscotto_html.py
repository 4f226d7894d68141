"""The cruscotto as one static page for the "Amministrazione Trasparente" section.

The page is self-contained (its stylesheet is inlined; no script, font, image or link is
fetched), in Italian, printable, and built for WCAG 2.1 AA: real tables with captions and
header cells, landmarks, a skip link, visible keyboard focus, colours with enough contrast,
and each bar of % raggiungimento an image with a text alternative. It names the ledger
digest its figures come from. Its wording is the reader's language (Italian by default, the
catalog's English with `--lang en`; the `lang` attribute says which). It carries no time of
generation: the same ledger, date and language give the same bytes, so anyone can rebuild the
published page and compare.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape
from importlib.resources import files

from events.i18n import _, language
from formats.italian_dates import italian_moment
from formats.writers.cruscotto_data import CruscottoExport
from formats.writers.rules_text import describe_ente
from projections.cruscotto import NodeResult
from projections.numbers import italian_percent

STYLESHEET = files("formats.writers").joinpath("templates/cruscotto.css")
LICENCE = "CC BY 4.0"


def page(
    exported: CruscottoExport,
    *,
    sections: Sequence[str] = (),
    footer: Sequence[str] | None = None,
    stylesheet: str = "",
) -> str:
    """The whole HTML document.

    A publication adds its own `sections` after the cruscotto (the documents, the proofs) and
    its own `footer`; the PDF adds its `stylesheet` (the fonts it embeds) after the page's.
    """
    cruscotto = exported.cruscotto
    year = f" {cruscotto.year}" if cruscotto.year else ""
    heading = _("Performance cruscotto{year}").format(year=year)
    title = f"{heading} - {cruscotto.entity_name}"
    as_of = cruscotto.as_of.strftime("%d/%m/%Y")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{language()}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="description" content="{}">'.format(
            _e(_("{title}, situation as of {date}").format(title=title, date=as_of))
        ),
        f"<title>{_e(title)}</title>",
        f"<style>\n{STYLESHEET.read_text(encoding='utf-8')}{stylesheet}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#contenuto">{}</a>'.format(_t(_("Skip to the content"))),
        '<header class="it-header"><div class="container">',
        f'<p class="ente">{_e(cruscotto.entity_name)}</p>',
        '<p class="percorso">{}</p>'.format(
            _t(_("Transparent administration - Performance - Performance report"))
        ),
        "</div></header>",
        '<main id="contenuto" tabindex="-1"><div class="container">',
        f"<h1>{_e(heading)}</h1>",
        '<p class="lead">{}{}.</p>'.format(
            _t(_("Situation as of {date}, cycle {stream}")).format(
                date=as_of, stream=_e(cruscotto.stream)
            ),
            _known(exported),
        ),
        ""
        if cruscotto.plan_in_force
        else "<p>{}</p>".format(_t(_("No plan in force on {date}.")).format(date=as_of)),
        *_ente(exported),
        *_perspectives(exported),
        *_strategic(exported),
        *_details(exported),
        *_overrides(exported),
        *_managers(exported),
        *sections,
        "</div></main>",
        *(_footer(exported) if footer is None else footer),
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def e(text: object) -> str:
    """Text escaped for HTML, quotes included: every value a page shows goes through it."""
    return escape(str(text), quote=True)


_e = e


def text(sentence: str) -> str:
    """A sentence of the page escaped as element text (`l'OIV` keeps its apostrophe); the
    values put into it are escaped with `e`."""
    return escape(sentence, quote=False)


_t = text


def _pct(value: Decimal | None) -> str:
    return italian_percent(value)


def bar(value: Decimal | None, subject: str) -> str:
    """A bar of % raggiungimento: an image whose text alternative says the figure."""
    if value is None:
        return ""
    width = max(Decimal(0), min(Decimal(100), value)).quantize(Decimal("0.01"))
    label = _("{subject}: {percent} achievement").format(subject=subject, percent=_pct(value))
    return (
        f'<span class="bar" role="img" aria-label="{_e(label)}">'
        f'<span style="width: {width}%"></span></span>'
    )


def _known(exported: CruscottoExport) -> str:
    known = exported.cruscotto.known_at
    if known is None:
        return ""
    return _t(_(", as it stood on {when}")).format(when=italian_moment(known))


def table(
    ident: str, caption: str, headers: Sequence[tuple[str, bool]], rows: Iterable[str]
) -> list[str]:
    """A table in a focusable, labelled scroll region (keyboard users can scroll it too)."""
    numeric_class = ' class="num"'
    head = "".join(
        f'<th scope="col"{numeric_class if numeric else ""}>{_e(text)}</th>'
        for text, numeric in headers
    )
    return [
        f'<div class="table-wrap" role="region" aria-labelledby="{ident}" tabindex="0">',
        f'<table><caption id="{ident}">{_e(caption)}</caption>',
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
        *rows,
        "</tbody></table></div>",
    ]


_table = table


def _ente(exported: CruscottoExport) -> list[str]:
    cruscotto = exported.cruscotto
    band = (
        _t(_(" - overall rating: {band}")).format(band=_e(cruscotto.band)) if cruscotto.band else ""
    )
    coverage = ""
    if cruscotto.coverage < 100:
        shown = _("Measurement coverage: {percent}.").format(percent=_pct(cruscotto.coverage))
        coverage = f"<p>{_t(shown)}</p>"
    return [
        '<section aria-labelledby="h-ente">',
        f'<h2 id="h-ente">{_e(cruscotto.policy.ente.name)}</h2>',
        '<div class="ente-result">',
        f'<p class="cifra">{_pct(cruscotto.result)}</p>',
        bar(cruscotto.result, cruscotto.policy.ente.name),
        "</div>",
        f"<p>{_e(describe_ente(cruscotto.policy))}{band}.</p>",
        coverage,
        "</section>",
    ]


def _perspectives(exported: CruscottoExport) -> list[str]:
    cruscotto = exported.cruscotto
    top = cruscotto.levels[0]
    if top.achievement is not None:
        return []  # its nodes have their own table, with target and achievement
    rows = [
        f'<tr><th scope="row">{_e(p.title)}</th><td class="num">{_pct(p.result)}'
        f"{bar(p.result, p.title)}</td></tr>"
        for p in cruscotto.roots
    ]
    reference = cruscotto.policy.is_reference_tree
    heading = _("Performance by perspective") if reference else top.shown_plural
    caption = (
        _("Performance by perspective of the Balanced Scorecard")
        if reference
        else _("{levels}: result").format(levels=top.shown_plural)
    )
    return [
        '<section aria-labelledby="h-prospettive">',
        f'<h2 id="h-prospettive">{_e(heading)}</h2>',
        *_table("t-prospettive", caption, [(top.name, False), (_("Performance"), True)], rows),
        "</section>",
    ]


def _strategic(exported: CruscottoExport) -> list[str]:
    parts: list[str] = []
    for index, rule in enumerate(exported.cruscotto.levels):
        if rule.achievement is None:
            continue
        rows = [
            f'<tr><th scope="row">{_e(n.title)}</th><td class="num">{_pct(n.result)}</td>'
            f'<td class="num">{_pct(n.target)}</td><td class="num">{_pct(n.achievement)}'
            f"{bar(n.achievement, n.title)}</td><td>{_e(n.band or '')}</td></tr>"
            for n in exported.cruscotto.of_level(rule.key)
        ]
        headers = [
            (rule.name, False),
            (_("Measured result"), True),
            (_("Target"), True),
            (_("% achievement"), True),
            (_("Overall rating"), False),
        ]
        ident = "strategici" if index == 1 or rule.key == "strategic" else f"livello-{index}"
        parts += [
            f'<section aria-labelledby="h-{ident}">',
            f'<h2 id="h-{ident}">{_e(rule.shown_plural)}</h2>',
            *_table(
                f"t-{ident}",
                _("{levels}: result, target and achievement").format(levels=rule.shown_plural),
                headers,
                rows,
            ),
            "</section>",
        ]
    return parts


def _details(exported: CruscottoExport) -> list[str]:
    cruscotto = exported.cruscotto
    levels = cruscotto.levels
    reference = cruscotto.policy.is_reference_tree
    grouped = cruscotto.strategic() or list(cruscotto.roots)
    below = [rule for rule in levels if rule.key not in {n.level for n in grouped}]
    names = _(" or ").join(rule.name.lower() for rule in below[-2:]) if below else ""
    heading = (
        _("Operational objectives and actions")
        if reference
        else _(" and ").join(rule.shown_plural for rule in below[-2:])
    )
    headers = [
        (_("Code"), False),
        (_("Operational objective or action") if reference else names.capitalize(), False),
        (_("Weight"), True),
        (_("KPI"), False),
        (_("Target"), True),
        (_("Measured result"), True),
        (_("Computed"), True),
        (_("Override"), True),
        (_("% achievement"), True),
    ]
    depth = {rule.key: index for index, rule in enumerate(levels)}
    parts = [
        '<section aria-labelledby="h-dettaglio">',
        f'<h2 id="h-dettaglio">{_e(heading)}</h2>',
    ]
    for index, group in enumerate(grouped, start=1):
        rows = [
            _detail_row(node, _row_class(node, depth, reference))
            for child in group.children
            for node in child.walk()
        ]
        parts += _table(f"t-dettaglio-{index}", group.title, headers, rows)
    parts.append("</section>")
    return parts


def _row_class(node: NodeResult, depth: dict[str, int], reference: bool) -> str:
    if reference:
        return "azione" if node.is_indicator else "operativo"
    return f"livello-{depth.get(node.level, 0)}"


def _detail_row(node: NodeResult, kind: str) -> str:
    override = _pct(node.override.achievement) if node.override else ""
    weight = "" if node.weight is None else _pct(node.weight)
    return (
        f'<tr class="{kind}"><th scope="row">{_e(node.code or node.key)}</th>'
        f'<td>{_e(node.title)}</td><td class="num">{weight}</td>'
        f'<td>{_e(node.kpi or "")}</td><td class="num">{_e(node.target_label or "")}</td>'
        f'<td class="num">{_e(node.measured or "")}</td>'
        f'<td class="num">{_pct(node.computed)}</td>'
        f'<td class="num override">{override}</td>'
        f'<td class="num">{_pct(node.result)}{bar(node.result, f"{node.code} {node.title}")}</td>'
        "</tr>"
    )


def _overrides(exported: CruscottoExport) -> list[str]:
    overridden = [n for n in exported.cruscotto.nodes() if n.override is not None]
    parts = [
        '<section aria-labelledby="h-override">',
        '<h2 id="h-override">{}</h2>'.format(_t(_("Results changed, the OIV heard"))),
    ]
    if not overridden:
        return [*parts, "<p>{}</p>".format(_t(_("No result was changed."))), "</section>"]
    rows = []
    for node in overridden:
        override = node.override
        if override is None:  # pragma: no cover - filtered above
            continue
        rows.append(
            f'<tr><th scope="row">{_e(node.code or node.key)}</th><td>{_e(node.title)}</td>'
            f'<td class="num">{_pct(node.computed)}</td>'
            f'<td class="num override">{_pct(override.achievement)}</td>'
            f'<td class="num">{override.oiv_heard_on.strftime("%d/%m/%Y")}</td>'
            f'<td class="motivazione">{_e(override.rationale)}</td></tr>'
        )
    headers = [
        (_("Code"), False),
        (_("Title"), False),
        (_("Computed"), True),
        (_("Decided"), True),
        (_("OIV heard on"), True),
        (_("Rationale"), False),
    ]
    caption = _("Results the administration decided in place of the computed ones")
    return [*parts, *_table("t-override", caption, headers, rows), "</section>"]


def _managers(exported: CruscottoExport) -> list[str]:
    managers = exported.cruscotto.managers
    if not managers:
        return []
    rows = []
    for manager in managers:
        for code, title, weight, result in manager.items:
            rows.append(
                f'<tr><th scope="row">{_e(code)}</th><td>{_e(title)}</td>'
                f'<td>{_e(manager.manager)}</td><td class="num">{_pct(weight)}</td>'
                f'<td class="num">{_pct(result)}</td></tr>'
            )
    headers = [
        (_("Code"), False),
        (_("Objective"), False),
        (_("Manager"), False),
        (_("Weight"), True),
        (_("Achievement"), True),
    ]
    caption = _("Managers' objectives and their achievement")
    return [
        '<section aria-labelledby="h-dirigenziali">',
        '<h2 id="h-dirigenziali">{}</h2>'.format(_t(_("Managers' objectives"))),
        *_table("t-dirigenziali", caption, headers, rows),
        "</section>",
    ]


def _footer(exported: CruscottoExport) -> list[str]:
    digest = exported.digest.line()
    return [
        '<footer class="it-footer"><div class="container">',
        "<p>{}</p>".format(
            _t(
                _(
                    "Data from the performance ledger (a hash-chained, append-only ledger). The "
                    "figures of this page come from the ledger up to event {seq}:"
                )
            ).format(seq=exported.digest.seq)
        ),
        f'<p class="digest">{_e(digest)}</p>',
        "<p>{} <code>ledger verify --digest &quot;{}&quot;</code>. {}</p>".format(
            _t(_("To check them:")),
            _e(digest),
            _t(_("Data published under the {licence} licence.")).format(licence=LICENCE),
        ),
        "</div></footer>",
    ]
