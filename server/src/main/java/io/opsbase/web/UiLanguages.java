package io.opsbase.web;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.springframework.web.servlet.i18n.CookieLocaleResolver;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The languages the UI is translated into, and how any requested locale maps onto one of them. */
public final class UiLanguages {

    public static final Locale ENGLISH = Locale.ENGLISH;
    public static final Locale CHINESE = Locale.SIMPLIFIED_CHINESE;
    public static final List<Locale> SUPPORTED = List.of(ENGLISH, CHINESE);

    private UiLanguages() {
    }

    /** Any Chinese variant reads the Simplified Chinese UI; every other language reads English. */
    public static Locale nearest(Locale requested) {
        return requested != null && "zh".equals(requested.getLanguage()) ? CHINESE : ENGLISH;
    }

    /** The first Accept-Language entry the UI speaks; English when none is. */
    static Locale fromBrowser(HttpServletRequest request) {
        if (request.getHeader("Accept-Language") == null) {
            return ENGLISH;
        }
        for (Locale l : Collections.list(request.getLocales())) {
            if ("zh".equals(l.getLanguage()) || "en".equals(l.getLanguage())) {
                return nearest(l);
            }
        }
        return ENGLISH;
    }

    /** A cookie resolver that only ever stores and answers a supported locale. */
    static final class Resolver extends CookieLocaleResolver {

        Resolver(String cookieName, Duration maxAge) {
            super(cookieName);
            setCookieMaxAge(maxAge);
            setCookieSameSite("Lax");
            setCookieHttpOnly(true);
            setDefaultLocaleFunction(UiLanguages::fromBrowser);
        }

        @Override
        public Locale resolveLocale(HttpServletRequest request) {
            return nearest(super.resolveLocale(request));
        }

        @Override
        public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
            super.setLocale(request, response, locale == null ? null : nearest(locale));
        }
    }
}
