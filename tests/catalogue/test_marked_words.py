"""The catalogue's words inside an interface sentence carry their language."""

from django.template import Context, Template
from django.test import SimpleTestCase

from catalogue.models import Framework
from catalogue.widgets import FrameworkSelect


def render(source: str, **values: object) -> str:
    return Template("{% load catalogue_text %}" + source).render(Context(values))


class MarkedTests(SimpleTestCase):
    def test_each_occurrence_is_marked_and_the_rest_escaped(self):
        html = render(
            "{% marked text words 'nb' %}",
            text="<b>Kari</b> is at 1 in Kreativitet; Kreativitet needs 3",
            words="Kreativitet",
        )
        self.assertEqual(
            html,
            '&lt;b&gt;Kari&lt;/b&gt; is at 1 in <span lang="nb">Kreativitet</span>;'
            ' <span lang="nb">Kreativitet</span> needs 3',
        )

    def test_the_words_themselves_are_escaped(self):
        html = render("{% marked text words 'nb' %}", text="a <i> b", words="<i>")
        self.assertEqual(html, 'a <span lang="nb">&lt;i&gt;</span> b')

    def test_no_words_leaves_the_text_escaped(self):
        self.assertEqual(render("{% marked '<x>' '' 'nb' %}"), "&lt;x&gt;")


class FrameworkSelectTests(SimpleTestCase):
    def test_options_carry_their_frameworks_language(self):
        frameworks = [
            Framework(pk=1, language="nb", name="Innovasjon", version=1),
            Framework(pk=2, language="en", name="Data", version=1),
        ]
        widget = FrameworkSelect()
        widget.choices = [("", "All"), *widget.use(frameworks)]
        html = widget.render("framework", None)
        self.assertIn(f'<option value="1" lang="nb">{frameworks[0]}</option>', html)
        self.assertIn(f'<option value="2" lang="en">{frameworks[1]}</option>', html)
        self.assertIn('<option value="" selected>All</option>', html)
