package io.opsbase.web;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * Page locale: the {@code opsbase-lang} cookie when the user picked a language with
 * {@code ?lang=zh-CN|en}, otherwise the browser's Accept-Language, narrowed to the languages the
 * UI speaks ({@link UiLanguages}).
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    static final String LANG_PARAM = "lang";

    /** The bean name {@code localeResolver} is what DispatcherServlet looks up. */
    @Bean
    LocaleResolver localeResolver() {
        return new UiLanguages.Resolver("opsbase-lang", Duration.ofDays(365));
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor interceptor = new LocaleChangeInterceptor();
        interceptor.setParamName(LANG_PARAM);
        // A bad ?lang= value must not turn into a 500 page.
        interceptor.setIgnoreInvalidLocale(true);
        registry.addInterceptor(interceptor).excludePathPatterns("/api/**");
    }
}
