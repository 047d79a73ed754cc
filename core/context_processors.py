from core.glossary import PageGlossary


def glossary(request):
    """A fresh glossary per page: it reads the terms only if the page uses `plain_words`."""
    return {"glossary": PageGlossary()}
