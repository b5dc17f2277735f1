"""Where the page being read lives in each of the site's languages: for the language switcher,
the `hreflang` alternates and the notice on a page that has no translation yet."""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from kindman.origin import public_url

READ_THE_ORIGINAL = {
    "en": _("Read this page in English"),
    "es": _("Read this page in Spanish"),
}


@dataclass
class Version:
    code: str
    name: str  # in its own language, as a reader of it looks for it
    url: str
    current: bool
    translated: bool  # the content is in this language (not an alias of another language's page)

    @property
    def absolute_url(self) -> str:
        return public_url(self.url) if self.url.startswith("/") else self.url


@dataclass
class PageLanguages:
    current: str
    versions: list[Version] = field(default_factory=list)
    # Set when the page shows content from another language: where to read the original.
    original_url: str | None = None
    original_language: str | None = None

    @property
    def original_link_text(self) -> str:
        return READ_THE_ORIGINAL.get(self.original_language, "")

    @property
    def alternates(self) -> list[Version]:
        """The versions written in their own language, for `hreflang` (only with two or more)."""
        translated = [version for version in self.versions if version.translated]
        return translated if len(translated) > 1 else []

    @property
    def default(self) -> Version | None:
        return next((v for v in self.alternates if v.code == settings.LANGUAGE_CODE), None)


def language_name(code: str) -> str:
    return get_language_info(code)["name_local"].capitalize()


def for_page(page: Page, request) -> PageLanguages:
    """The page's translations (and the aliases wagtail-localize keeps for untranslated pages)
    from one query."""
    current = get_language()
    family = {
        other.pk: other
        for other in Page.objects.filter(translation_key=page.translation_key)
        .live()
        .select_related("locale")
    }
    this = family.get(page.pk, page)
    family[this.pk] = this

    def written_in(other) -> str:
        """An alias shows its original's content, in its original's language."""
        source = family.get(other.alias_of_id) if other.alias_of_id else None
        return (source or other).locale.language_code

    by_language = {}
    for other in family.values():
        by_language.setdefault(other.locale.language_code, other)

    result = PageLanguages(current=current)
    for code, _name in settings.LANGUAGES:
        other = by_language.get(code)
        if other is not None:
            version = Version(
                code,
                language_name(code),
                other.get_url(request),
                code == current,
                written_in(other) == code,
            )
        elif request is not None:
            # Not in this language's tree (yet): the same address there, where Wagtail serves
            # the original with the notice below.
            version = Version(
                code,
                language_name(code),
                translate_url(request.get_full_path(), code),
                code == current,
                False,
            )
        else:
            continue
        result.versions.append(version)

    shown_in = written_in(this)
    if shown_in != current:
        original = by_language.get(shown_in, this)
        result.original_url = original.get_url(request)
        result.original_language = shown_in
    return result


def for_view(request) -> PageLanguages:
    """A page that is not in Wagtail's tree (a form, a listing): the same address in each
    language, as i18n_patterns gives it."""
    current = get_language()
    result = PageLanguages(current=current)
    path = request.get_full_path()
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        result.versions.append(Version(code, language_name(code), url, code == current, True))
    return result


def reading_language() -> str:
    """The content language of the request being served, as the pages' locales name it."""
    return get_supported_content_language_variant(get_language())


def in_reading_language(pages):
    """Only the pages in the language being read. Every page has a version in each language (a
    translation, or an alias showing the original), so a list of both shows each page twice."""
    return pages.filter(locale__language_code=reading_language())


def each_in_reading_language(pages: list, queryset) -> list:
    """Each of `pages` as its version in the language being read, from one query on
    `queryset` (live pages, say); a page with no such version stays as it is."""
    keys = [page.translation_key for page in pages]
    if not keys:
        return []
    found = in_reading_language(queryset.filter(translation_key__in=keys))
    by_key = {page.translation_key: page for page in found}
    return [by_key.get(page.translation_key, page) for page in pages]
