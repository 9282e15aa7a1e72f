import type { BreadcrumbList, Event, GovernmentOrganization, NewsArticle, Organization, WebSite, WithContext } from "schema-dts";
import type { SiteSettings } from "../data/reference.ts";
import type { Entry, EventItem, Lab, NewsItem } from "../content/site.ts";
import { isoDate, isoDateTime } from "../filters/dates.ts";

/**
 * schema.org JSON-LD for the pages where it applies, typed with schema-dts so that property
 * names and value types are checked against the vocabulary at compile time.
 */
type Json = WithContext<NewsArticle | Event | Organization | GovernmentOrganization | WebSite | BreadcrumbList>;

const absolute = (site: SiteSettings, url: string) => new URL(url, site.url).toString();

function publisher(site: SiteSettings) {
  return { "@type": "GovernmentOrganization", name: site.publisher, url: site.url, email: site.contactEmail } satisfies GovernmentOrganization;
}

export function homeJsonLd(site: SiteSettings): Json[] {
  return [
    {
      "@context": "https://schema.org",
      "@type": "WebSite",
      name: site.name,
      url: site.url,
      inLanguage: "ja",
      publisher: publisher(site),
      potentialAction: {
        "@type": "SearchAction",
        target: `${absolute(site, "/search/")}?q={search_term_string}`,
        // schema-dts has no type for Google's query-input convention; it is a plain string.
        ...({ "query-input": "required name=search_term_string" } as Record<string, string>),
      },
    },
    { "@context": "https://schema.org", ...publisher(site), sameAs: [site.parentSite.url] },
  ];
}

function newsJsonLd(site: SiteSettings, n: NewsItem): WithContext<NewsArticle> {
  return {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    headline: n.title,
    description: n.summary,
    datePublished: isoDate(n.date),
    url: absolute(site, n.url),
    inLanguage: "ja",
    mainEntityOfPage: absolute(site, n.url),
    author: publisher(site),
    publisher: publisher(site),
    ...(n.image && !n.image.decorative ? { image: absolute(site, n.image.src) } : {}),
    ...(n.labs.length ? { about: n.labs.map((l) => ({ "@type": "Organization" as const, name: l.name, url: absolute(site, l.url) })) } : {}),
  };
}

function eventJsonLd(site: SiteSettings, e: EventItem): WithContext<Event> {
  const places = [
    ...(e.venue
      ? [{ "@type": "Place" as const, name: e.venue.name, ...(e.venue.address ? { address: e.venue.address } : {}) }]
      : []),
    ...(e.online ? [{ "@type": "VirtualLocation" as const, ...(e.onlineUrl ? { url: e.onlineUrl } : {}) }] : []),
  ];
  return {
    "@context": "https://schema.org",
    "@type": "Event",
    name: e.title,
    description: e.summary,
    startDate: e.allDay ? isoDate(e.start) : isoDateTime(e.start),
    endDate: e.allDay ? isoDate(e.end) : isoDateTime(e.end),
    eventStatus: "https://schema.org/EventScheduled",
    eventAttendanceMode: e.venue
      ? e.online
        ? "https://schema.org/MixedEventAttendanceMode"
        : "https://schema.org/OfflineEventAttendanceMode"
      : "https://schema.org/OnlineEventAttendanceMode",
    location: places.length === 1 ? places[0]! : places,
    organizer: { "@type": "Organization", name: e.organizer.name, url: absolute(site, e.organizer.url) },
    url: absolute(site, e.url),
    inLanguage: "ja",
    ...(e.image && !e.image.decorative ? { image: absolute(site, e.image.src) } : {}),
    ...(e.fee ? { offers: { "@type": "Offer", description: e.fee, url: e.registration?.url ?? absolute(site, e.url) } } : {}),
  };
}

function labJsonLd(site: SiteSettings, l: Lab): WithContext<Organization> {
  return {
    "@context": "https://schema.org",
    "@type": "Organization",
    name: l.name,
    description: l.summary,
    url: absolute(site, l.url),
    email: l.contact.email,
    ...(l.contact.phone ? { telephone: l.contact.phone } : {}),
    ...(l.website ? { sameAs: l.website } : {}),
    ...(l.logo && !l.logo.decorative ? { logo: absolute(site, l.logo.src) } : {}),
    address: {
      "@type": "PostalAddress",
      addressCountry: "JP",
      addressRegion: l.prefecture.name,
      ...(l.municipality ? { addressLocality: l.municipality } : {}),
    },
    parentOrganization: { "@type": "Organization", name: site.name, url: site.url },
  };
}

export function entryJsonLd(site: SiteSettings, entry: Entry): Json[] {
  switch (entry.kind) {
    case "news":
      return [newsJsonLd(site, entry)];
    case "events":
      return [eventJsonLd(site, entry)];
    case "labs":
      return [labJsonLd(site, entry)];
    default:
      return [];
  }
}

export function breadcrumbJsonLd(site: SiteSettings, crumbs: { label: string; url?: string }[], currentUrl: string): WithContext<BreadcrumbList> {
  const items = [{ label: "ホーム", url: "/" }, ...crumbs];
  return {
    "@context": "https://schema.org",
    "@type": "BreadcrumbList",
    itemListElement: items.map((c, i) => ({
      "@type": "ListItem",
      position: i + 1,
      name: c.label,
      item: absolute(site, c.url ?? currentUrl),
    })),
  };
}

/** Serialises JSON-LD for a <script> element: "<" is escaped so content can never close the tag. */
export function jsonLdScript(data: unknown): string {
  return JSON.stringify(data).replace(/</g, "\\u003c");
}
