from datetime import date
from decimal import Decimal

import pytest

from knowledgebase.markdown import plain_text, render_markdown


def test_markdown_becomes_nl_design_system_html():
    html = render_markdown("## Kop\n\nEen **vette** tekst.\n\n- een\n- twee\n")
    assert '<h2 class="utrecht-heading-2">Kop</h2>' in html
    assert '<p class="utrecht-paragraph">Een <strong>vette</strong> tekst.</p>' in html
    assert '<ul class="utrecht-unordered-list">' in html


def test_scripts_and_their_content_are_removed():
    html = render_markdown("Tekst <script>alert('x')</script> en <style>body{}</style> meer.")
    assert "<script" not in html and "alert" not in html
    assert "<style" not in html and "body{}" not in html


def test_inline_styles_and_event_handlers_are_removed():
    html = render_markdown('<p style="color:red" onclick="steal()">Rood</p>\n\n<img src=x onerror="steal()">')
    assert "style=" not in html
    assert "onclick" not in html and "onerror" not in html and "<img" not in html


def test_table_alignment_becomes_a_class_not_a_style():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert "style=" not in html
    assert '<td class="kb-align-right">2</td>' in html


def test_javascript_links_lose_their_target():
    html = render_markdown("[klik](javascript:alert(1)) en [data](data:text/html;base64,PHNjcmlwdD4=)")
    assert "javascript:" not in html and "data:" not in html


def test_external_links_get_a_safe_rel():
    html = render_markdown("[Rijksoverheid](https://www.rijksoverheid.nl)")
    assert 'href="https://www.rijksoverheid.nl"' in html
    assert 'rel="noopener noreferrer"' in html


def test_kb_links_point_to_the_article_page():
    html = render_markdown("Zie [het model](kb:bouwblokkenmodel).")
    assert 'href="/kennisbank/artikel/bouwblokkenmodel/"' in html


def test_a_top_level_heading_becomes_a_second_level_one():
    html = render_markdown("# Titel\n\nTekst")
    assert "<h1" not in html
    assert '<h2 class="utrecht-heading-2">Titel</h2>' in html


def test_plain_text_drops_markup_and_placeholders():
    text = plain_text("## Kop\n\nEen [link](kb:x) met **nadruk**.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[[bouwblokken]]\n")
    assert text == "Kop —\nEen link met nadruk.\na · b\n1 · 2"


@pytest.mark.django_db
def test_the_building_block_placeholder_renders_the_catalogue_in_force():
    from catalogue.models import BuildingBlock, Catalogue, CatalogueVersion, Region

    region = Region.objects.create(name="Testregio", slug="testregio")
    catalogue = Catalogue.objects.create(region=region, name="Bouwblokken Testregio")
    old = CatalogueVersion.objects.create(catalogue=catalogue, label="V1", valid_from=date(2020, 1, 1))
    current = CatalogueVersion.objects.create(catalogue=catalogue, label="V2", valid_from=date(2024, 1, 1))
    CatalogueVersion.objects.create(catalogue=catalogue, label="V3", valid_from=date(2999, 1, 1))
    BuildingBlock.objects.create(version=old, name="Oud blok", category="employment", unit="per_year", value=Decimal("1000"))
    BuildingBlock.objects.create(
        version=current, name="Leerwerkbaan | niveau *2*", category="learn_work", unit="per_learn_work_year",
        value=Decimal("20000"),
    )
    html = render_markdown("Intro\n\n[[bouwblokken]]\n\nSlot")
    assert "Bouwblokken Testregio" in html
    assert "V2" in html and "V1" not in html and "V3" not in html
    assert "Leerwerkbaan | niveau *2*" in html  # Markdown characters in names stay literal
    assert "Oud blok" not in html
    assert "<table" in html and "20.000" in html
