from django import template

from core import glossary

register = template.Library()


@register.filter(name="plain_words", is_safe=True)
def plain_words(text, page_glossary=None):
    """`{{ text|plain_words:glossary }}`: escaped, addresses linked, acronyms explained once."""
    return glossary.plain_words(text, page_glossary or None)
