"""The product's own words in books: byline, credits, notices, draft and outdated labels.

One entry per language the collective publishes in; any other language falls
back to English.  (Moving these into gettext catalogs of the product's own,
so that reviewers translate them like any article, is the next step.)
"""

from __future__ import annotations

from .language import Language

LABELS: dict[str, dict[str, str]] = {
    "en": {"notice_none": "Machine-drafted translation, not yet reviewed: paragraphs not yet "
                          "translated are shown in the original.",
           "notice_all": "Translation reviewed and approved by volunteers.",
           "outdated": "This translation was approved for an earlier version of the "
                       "paragraph; its review is pending.",
           "by": "By", "translators": "Translated by {names}", "source": "Original",
           "contents": "Contents", "collection": "Collected articles",
           "draft": "Unreviewed machine translation:",
           "notice": "Machine-drafted translation, reviewed by volunteers: {percent}% approved.",
           "a11y": "Text-only article with a table of contents and headings for navigation; "
                   "paragraphs not yet translated are marked with their own language."},
    "es": {"notice_none": "Traducción preparada por máquina, aún sin revisar: los "
                          "párrafos todavía no traducidos se muestran en el original.",
           "notice_all": "Traducción revisada y aprobada por voluntarios.",
           "outdated": "Esta traducción se aprobó para una versión anterior del párrafo; su "
                       "revisión está pendiente.",
           "by": "Por", "translators": "Traducción: {names}", "source": "Original",
           "contents": "Índice", "collection": "Artículos reunidos",
           "draft": "Traducción automática sin revisar:",
           "notice": "Traducción preparada por máquina y revisada por voluntarios: {percent}% aprobada.",
           "a11y": "Artículo solo de texto con índice y encabezados para navegar; "
                   "los párrafos aún sin traducir llevan marcado su idioma."},
    "pt": {"notice_none": "Tradução preparada por máquina, ainda não revista: os "
                          "parágrafos ainda por traduzir aparecem no original.",
           "notice_all": "Tradução revista e aprovada por voluntários.",
           "outdated": "Esta tradução foi aprovada para uma versão anterior do parágrafo; a "
                       "revisão está pendente.",
           "by": "Por", "translators": "Tradução: {names}", "source": "Original",
           "contents": "Índice", "collection": "Artigos reunidos",
           "draft": "Tradução automática não revista:",
           "notice": "Tradução preparada por máquina e revista por voluntários: {percent}% aprovada.",
           "a11y": "Artigo só de texto com índice e títulos para navegação; "
                   "os parágrafos ainda por traduzir têm o seu idioma marcado."},
    "fr": {"notice_none": "Traduction préparée par machine, pas encore relue : les "
                          "paragraphes pas encore traduits sont montrés dans l’original.",
           "notice_all": "Traduction relue et approuvée par des bénévoles.",
           "outdated": "Cette traduction a été approuvée pour une version antérieure du "
                       "paragraphe ; sa relecture est en attente.",
           "by": "Par", "translators": "Traduction : {names}", "source": "Original",
           "contents": "Table des matières", "collection": "Articles réunis",
           "draft": "Traduction automatique non relue :",
           "notice": "Traduction préparée par machine et relue par des bénévoles : {percent} % approuvée.",
           "a11y": "Article textuel avec table des matières et intertitres pour la navigation ; "
                   "les paragraphes pas encore traduits sont marqués dans leur langue."},
    "ar": {"notice_none": "ترجمة أعدّتها الآلة ولم تُراجَع بعد: الفقرات التي لم تُترجم "
                          "بعد معروضة بلغتها الأصلية.",
           "notice_all": "ترجمة راجعها متطوعون واعتمدوها.",
           "outdated": "اعتُمدت هذه الترجمة لنسخة سابقة من الفقرة؛ مراجعتها "
                       "معلّقة.",
           "by": "بقلم", "translators": "ترجمة: {names}", "source": "الأصل",
           "contents": "المحتويات", "collection": "مقالات مجمّعة",
           "draft": "ترجمة آلية غير مراجَعة:",
           "notice": "ترجمة أعدّتها الآلة وراجعها متطوعون: {percent}٪ معتمدة.",
           "a11y": "مقال نصي مع فهرس وعناوين للتنقل؛ الفقرات التي لم تُترجم بعد معلَّمة بلغتها."},
}


def notice(lang: str, percent: float) -> str:
    """What is true of a translation edition: unreviewed at 0%, reviewed at 100%, the share between."""
    labels = labels_for(lang)
    if round(percent) <= 0:
        return labels["notice_none"]
    if percent >= 100:
        return labels["notice_all"]
    return labels["notice"].format(percent=max(1, min(99, round(percent))))


def labels_for(lang: str) -> dict[str, str]:
    return LABELS.get(Language(lang).base, LABELS["en"])
