"""The demo blog: categories, tags, articles and their downloads (content/blog/, FORMAT.md).

Everything is read and checked before anything is written, so a broken file stops the load with
a message naming the file instead of leaving half the demo behind. Rows are looked up by slug:
what exists is left exactly as it is, only what is missing is created.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.html import format_html

from blog.models import Article, Category, Tag
from demo import figures, illustrations
from demo.content import (
    CONTENT_DIR,
    DemoContentError,
    check,
    check_printable,
    check_template,
    read_toml,
)
from demo.pdf import exercise_plan
from demo.pdf.layout import ENCODING, PdfFile

BLOG_DIR = CONTENT_DIR / "blog"
BERLIN = ZoneInfo("Europe/Berlin")
SCHEDULED_TIME = time(7, 30)
MEDIA_PREFIX = "demo"

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IMAGE_MARKER = re.compile(r"<!--\s*image:([a-z0-9-]+)\s*-->")
PDF_MARKER = re.compile(r"<!--\s*pdf:([a-z0-9-]+)\s*-->")
ARTICLE_LINK = re.compile(r'href="/blog/([^"/]+)/"')

REQUIRED = ("title", "slug", "category", "tags", "status", "teaser", "meta_description", "body")
OPTIONAL = ("published", "days_from_now", "related", "comments_open", "cover", "images")
KNOWN_KEYS = {*REQUIRED, *OPTIONAL}
PICTURE_KEYS = {"alt", "credit", "motif", "palette"}

DOWNLOAD_SCHEMA = {
    "title": "text",
    "file_name": "text",
    "description": "prose",
    "link": "text",
    "details": "template",
    **exercise_plan.SCHEMA,
}


@dataclass(frozen=True)
class Picture:
    """An illustration to draw: cover or inline image."""

    key: str
    alt: str
    credit: str
    motif: str
    palette: tuple[str, ...]
    caption: str = ""


@dataclass(frozen=True)
class Download:
    """A PDF that an article links with <!-- pdf:KEY -->: an exercise plan."""

    key: str
    title: str
    file_name: str
    description: str
    link: str
    details: str
    texts: dict

    def build(self) -> PdfFile:
        return exercise_plan.exercise_plan_pdf(title=self.title, texts=self.texts)


@dataclass
class ArticleSpec:
    """One article file, read and checked."""

    path: Path
    title: str
    slug: str
    category: str
    tags: list[str]
    status: str
    published: datetime | None
    days_from_now: int | None
    teaser: str
    meta_description: str
    body: str
    cover: Picture
    images: list[Picture] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    comments_open: bool = True

    def published_at(self, now: datetime) -> datetime:
        if self.days_from_now is not None:
            day = timezone.localtime(now, BERLIN).date() + timedelta(days=self.days_from_now)
            return datetime.combine(day, SCHEDULED_TIME, tzinfo=BERLIN)
        return self.published or now


@dataclass
class Taxonomy:
    """The categories and tags of taxonomy.toml."""

    categories: list[dict]
    tags: list[dict]

    @property
    def category_slugs(self) -> set[str]:
        return {c["slug"] for c in self.categories}

    @property
    def tag_slugs(self) -> set[str]:
        return {t["slug"] for t in self.tags}


@dataclass
class BlogContent:
    """Everything under content/blog/, read and checked."""

    taxonomy: Taxonomy
    articles: list[ArticleSpec]
    downloads: dict[str, Download]

    @property
    def article_slugs(self) -> set[str]:
        return {spec.slug for spec in self.articles}


# -- reading -----------------------------------------------------------------------------------


def read_taxonomy(path: Path) -> Taxonomy:
    data = read_toml(path)
    lists = {}
    for kind in ("categories", "tags"):
        entries = data.get(kind)
        if not isinstance(entries, list) or not entries:
            raise DemoContentError(f"{path.name}: needs a non-empty [[{kind}]] list")
        seen = set()
        for entry in entries:
            for key in ("slug", "name", "description"):
                if not isinstance(entry.get(key), str) or not entry[key].strip():
                    raise DemoContentError(f"{path.name}: every entry of {kind} needs a {key!r}")
            if not SLUG.match(entry["slug"]):
                raise DemoContentError(f"{path.name}: {entry['slug']!r} is not a valid slug")
            if entry["slug"] in seen:
                raise DemoContentError(f"{path.name}: {kind} slug {entry['slug']!r} appears twice")
            seen.add(entry["slug"])
        lists[kind] = entries
    return Taxonomy(categories=lists["categories"], tags=lists["tags"])


def _picture(path: Path, data, where: str, *, inline: bool) -> Picture:
    if not isinstance(data, dict):
        raise DemoContentError(f"{path.name}: {where} must be a table")
    needed = PICTURE_KEYS | ({"key", "caption"} if inline else set())
    missing = sorted(k for k in needed if k not in data)
    if missing:
        raise DemoContentError(f"{path.name}: {where} lacks {', '.join(missing)}")
    unknown = sorted(set(data) - needed)
    if unknown:
        raise DemoContentError(f"{path.name}: {where} has unknown field(s) {', '.join(unknown)}")
    if data["motif"] not in illustrations.MOTIFS:
        raise DemoContentError(
            f"{path.name}: {where} uses the unknown motif {data['motif']!r}; "
            f"choose one of {', '.join(sorted(illustrations.MOTIFS))}"
        )
    problem = illustrations.palette_problem(data["palette"])
    if problem:
        raise DemoContentError(f"{path.name}: {where}: {problem}")
    for key in ("alt", "credit", *(("caption",) if inline else ())):
        if not isinstance(data[key], str) or not data[key].strip():
            raise DemoContentError(f"{path.name}: {where} needs a non-empty {key!r}")
    key = data.get("key", "cover")
    if not isinstance(key, str) or not SLUG.match(key):
        raise DemoContentError(f"{path.name}: {where} has an invalid key {key!r}")
    return Picture(
        key=key,
        alt=data["alt"].strip(),
        credit=data["credit"].strip(),
        motif=data["motif"],
        palette=tuple(data["palette"]),
        caption=data.get("caption", "").strip(),
    )


def _published(path: Path, value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=BERLIN)
    if isinstance(value, date):
        return datetime.combine(value, SCHEDULED_TIME, tzinfo=BERLIN)
    try:
        return datetime.strptime(str(value), "%Y-%m-%d %H:%M").replace(tzinfo=BERLIN)
    except ValueError as error:
        raise DemoContentError(
            f"{path.name}: published {value!r} is not of the form 'YYYY-MM-DD HH:MM'"
        ) from error


def read_article(path: Path, taxonomy: Taxonomy, downloads: dict[str, Download]) -> ArticleSpec:
    data = read_toml(path)
    tables = [data.get("cover"), *data.get("images", [])]
    if "body" not in data and any(isinstance(t, dict) and "body" in t for t in tables):
        raise DemoContentError(
            f"{path.name}: body is inside [cover] or [[images]]; move it above [cover] "
            "(in TOML every key after a table header belongs to that table)"
        )
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise DemoContentError(f"{path.name}: missing {', '.join(missing)}")
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise DemoContentError(f"{path.name}: unknown field(s) {', '.join(unknown)}")
    for key in ("title", "slug", "category", "teaser", "meta_description", "body"):
        if not isinstance(data[key], str) or not data[key].strip():
            raise DemoContentError(f"{path.name}: {key} must be a non-empty string")

    slug = data["slug"]
    if not SLUG.match(slug):
        raise DemoContentError(f"{path.name}: slug {slug!r} may only use a-z, 0-9 and '-'")
    if data["category"] not in taxonomy.category_slugs:
        raise DemoContentError(
            f"{path.name}: unknown category {data['category']!r}; taxonomy.toml has "
            f"{', '.join(sorted(taxonomy.category_slugs))}"
        )
    tags = data["tags"]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise DemoContentError(f"{path.name}: tags must be a list of tag slugs")
    unknown_tags = [t for t in tags if t not in taxonomy.tag_slugs]
    if unknown_tags:
        raise DemoContentError(
            f"{path.name}: unknown tag(s) {', '.join(map(repr, unknown_tags))}; taxonomy.toml "
            f"has {', '.join(sorted(taxonomy.tag_slugs))}"
        )
    if data["status"] not in Article.Status.values:
        raise DemoContentError(
            f"{path.name}: status must be one of {', '.join(Article.Status.values)}"
        )
    if len(data["meta_description"]) > 160:
        raise DemoContentError(f"{path.name}: meta_description is longer than 160 characters")

    published = days = None
    if "published" in data and "days_from_now" in data:
        raise DemoContentError(f"{path.name}: give either published or days_from_now, not both")
    if "published" in data:
        published = _published(path, data["published"])
    elif "days_from_now" in data:
        days = data["days_from_now"]
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise DemoContentError(f"{path.name}: days_from_now must be a whole number ≥ 1")
    elif data["status"] == Article.Status.PUBLISHED:
        raise DemoContentError(f"{path.name}: a published article needs published or days_from_now")

    related = data.get("related", [])
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        raise DemoContentError(f"{path.name}: related must be a list of article slugs")
    if slug in related:
        raise DemoContentError(f"{path.name}: an article cannot be related to itself")
    comments_open = data.get("comments_open", True)
    if not isinstance(comments_open, bool):
        raise DemoContentError(f"{path.name}: comments_open must be true or false")

    if "cover" not in data:
        raise DemoContentError(f"{path.name}: missing the [cover] table")
    cover = _picture(path, data["cover"], "[cover]", inline=False)
    raw_images = data.get("images", [])
    if not isinstance(raw_images, list):
        raise DemoContentError(f"{path.name}: images must be an array of tables ([[images]])")
    pictures = [
        _picture(path, entry, f"[[images]] #{number}", inline=True)
        for number, entry in enumerate(raw_images, start=1)
    ]

    body = data["body"]
    keys = [picture.key for picture in pictures]
    if len(set(keys)) != len(keys):
        raise DemoContentError(f"{path.name}: two [[images]] share a key")
    markers = IMAGE_MARKER.findall(body)
    for marker in markers:
        if marker not in keys:
            raise DemoContentError(f"{path.name}: <!-- image:{marker} --> has no [[images]] entry")
    for key in keys:
        if markers.count(key) != 1:
            raise DemoContentError(
                f"{path.name}: image {key!r} must be placed exactly once with <!-- image:{key} -->"
            )
    for marker in PDF_MARKER.findall(body):
        if marker not in downloads:
            raise DemoContentError(
                f"{path.name}: unknown download <!-- pdf:{marker} -->; "
                f"known: {', '.join(sorted(downloads))}"
            )

    return ArticleSpec(
        path=path,
        title=data["title"].strip(),
        slug=slug,
        category=data["category"],
        tags=tags,
        status=data["status"],
        published=published,
        days_from_now=days,
        teaser=" ".join(data["teaser"].split()),
        meta_description=" ".join(data["meta_description"].split()),
        body=body.strip(),
        cover=cover,
        images=pictures,
        related=related,
        comments_open=comments_open,
    )


def read_download(path: Path) -> Download:
    data = check(path, read_toml(path), DOWNLOAD_SCHEMA)
    if not SLUG.match(data["file_name"]):
        raise DemoContentError(f"{path.name}: file_name may only use a-z, 0-9 and '-'")
    check_template(path, data["details"], "details", "pages", "kilobytes")
    check_template(
        path, data["exercise_pages"]["heading"], "exercise_pages.heading", "first", "last"
    )
    check_template(path, data["exercise_pages"]["tip"], "exercise_pages.tip", "tip")
    check_template(path, data["pdf"]["page_number"], "pdf.page_number", "number", "total")
    if data["exercise_pages"]["per_page"] < 1:
        raise DemoContentError(f"{path.name}: exercise_pages.per_page must be at least 1")
    figures.check_exercise_figures(path, data["exercises"])
    texts = {key: data[key] for key in exercise_plan.SCHEMA}
    check_printable(path, {"title": data["title"], **texts}, ENCODING)
    return Download(
        key=path.stem,
        title=data["title"],
        file_name=data["file_name"],
        description=data["description"],
        link=data["link"],
        details=data["details"],
        texts=texts,
    )


def read(directory: Path = BLOG_DIR) -> BlogContent:
    """Read and check taxonomy.toml, downloads/*.toml and articles/*.toml (no writing)."""
    taxonomy = read_taxonomy(directory / "taxonomy.toml")
    downloads = {}
    for path in sorted(directory.glob("downloads/*.toml")):
        if not SLUG.match(path.stem):
            raise DemoContentError(f"{path.name}: the file name must be a slug (a-z, 0-9, '-')")
        downloads[path.stem] = read_download(path)
    specs = [
        read_article(path, taxonomy, downloads)
        for path in sorted(directory.glob("articles/*.toml"))
    ]
    if not specs:
        raise DemoContentError(f"articles: no article files in {directory / 'articles'}")
    by_slug: dict[str, ArticleSpec] = {}
    for spec in specs:
        if spec.slug in by_slug:
            raise DemoContentError(
                f"{spec.path.name}: slug {spec.slug!r} is already used by "
                f"{by_slug[spec.slug].path.name}"
            )
        by_slug[spec.slug] = spec
    existing = set(
        Article.objects.filter(
            slug__in={s for spec in specs for s in (*spec.related, *_linked_slugs(spec))}
        ).values_list("slug", flat=True)
    )
    known = set(by_slug) | existing
    for spec in specs:
        for slug in spec.related:
            if slug not in known:
                raise DemoContentError(f"{spec.path.name}: related article {slug!r} does not exist")
        for slug in _linked_slugs(spec):
            if slug not in known:
                raise DemoContentError(
                    f"{spec.path.name}: links to /blog/{slug}/, but no article has that slug"
                )
    return BlogContent(taxonomy=taxonomy, articles=specs, downloads=downloads)


def _linked_slugs(spec: ArticleSpec) -> list[str]:
    return ARTICLE_LINK.findall(spec.body)


# -- writing -----------------------------------------------------------------------------------


def _store(name: str, content: bytes) -> str:
    """Save a generated file unless it is already there; returns the storage name."""
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(content))
    return name


def _picture_file(spec: ArticleSpec, picture: Picture, size: tuple[int, int]) -> str:
    content = illustrations.render(
        seed_name=f"{spec.slug}/{picture.key}",
        motif=picture.motif,
        palette=picture.palette,
        size=size,
    )
    return _store(f"{MEDIA_PREFIX}/{spec.slug}-{picture.key}.jpg", content)


def _figure(spec: ArticleSpec, picture: Picture) -> str:
    name = _picture_file(spec, picture, illustrations.INLINE_SIZE)
    width, height = illustrations.INLINE_SIZE
    return format_html(
        '<figure class="image"><img src="{}" alt="{}" width="{}" height="{}">'
        "<figcaption>{} · {}</figcaption></figure>",
        default_storage.url(name),
        picture.alt,
        width,
        height,
        picture.caption,
        picture.credit,
    )


def _download_paragraph(download: Download) -> str:
    pdf = download.build()
    name = _store(f"{MEDIA_PREFIX}/{download.file_name}.pdf", pdf.content)
    details = download.details.format(
        pages=pdf.pages, kilobytes=max(1, round(len(pdf.content) / 1024))
    )
    return format_html(
        '<p>{} <a href="{}">{}</a> {}</p>',
        download.description,
        default_storage.url(name),
        download.link,
        details,
    )


def render_body(spec: ArticleSpec, downloads: dict[str, Download]) -> str:
    """The article HTML with figures and download links in place of the markers."""
    pictures = {picture.key: picture for picture in spec.images}
    body = IMAGE_MARKER.sub(lambda match: _figure(spec, pictures[match.group(1)]), spec.body)
    return PDF_MARKER.sub(lambda match: _download_paragraph(downloads[match.group(1)]), body)


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def load(content: BlogContent, *, author, stdout=None, now: datetime | None = None):
    """Create the demo categories, tags and articles that are missing; returns the new articles."""
    now = now or timezone.now()
    taxonomy, specs = content.taxonomy, content.articles

    categories = {c.slug: c for c in Category.objects.all()}
    for entry in taxonomy.categories:
        if entry["slug"] not in categories:
            categories[entry["slug"]] = Category.objects.create(
                slug=entry["slug"], name=entry["name"], description=entry["description"]
            )
            _say(stdout, f"Category {entry['slug']} created.")
    tags = {t.slug: t for t in Tag.objects.all()}
    for entry in taxonomy.tags:
        if entry["slug"] not in tags:
            tags[entry["slug"]] = Tag.objects.create(
                slug=entry["slug"], name=entry["name"], description=entry["description"]
            )
            _say(stdout, f"Tag {entry['slug']} created.")

    existing = set(
        Article.objects.filter(slug__in=[s.slug for s in specs]).values_list("slug", flat=True)
    )
    created: list[tuple[ArticleSpec, Article]] = []
    for spec in specs:
        if spec.slug in existing:
            continue
        article = Article(
            title=spec.title,
            slug=spec.slug,
            author=author,
            status=spec.status,
            published_at=spec.published_at(now),
            teaser=spec.teaser,
            meta_description=spec.meta_description,
            body=render_body(spec, content.downloads),
            category=categories[spec.category],
            cover_alt=spec.cover.alt,
            cover_credit=spec.cover.credit,
            comments_open=spec.comments_open,
        )
        article.cover_image.name = _picture_file(spec, spec.cover, illustrations.COVER_SIZE)
        article.save()
        created.append((spec, article))
        _say(stdout, f"Article {spec.slug} created.")

    # Related articles may point at any demo article, so they are set once all exist.
    articles_by_slug = {
        a.slug: a
        for a in Article.objects.filter(slug__in={r for spec, _a in created for r in spec.related})
    }
    for spec, article in created:
        article.tags.set([tags[slug] for slug in spec.tags])
        article.related.set([articles_by_slug[slug] for slug in spec.related])
    return [article for _spec, article in created]
