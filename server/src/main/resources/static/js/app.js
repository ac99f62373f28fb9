// Opsbase page behaviour. Loaded with `defer` on every page; CSP forbids inline scripts, so all
// page JavaScript lives in files like this one.
(function () {
  'use strict';

  // htmx requests that change state need Spring Security's CSRF token: the layout puts it in meta tags.
  document.addEventListener('htmx:configRequest', function (event) {
    var token = document.querySelector('meta[name="_csrf"]');
    var header = document.querySelector('meta[name="_csrf_header"]');
    if (token && header) {
      event.detail.headers[header.getAttribute('content')] = token.getAttribute('content');
    }
  });

  document.addEventListener('click', function (event) {
    // Copy buttons: <button data-copy="#selector" data-copied="Copied">.
    var copy = event.target.closest('[data-copy]');
    if (copy) {
      var source = document.querySelector(copy.getAttribute('data-copy'));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          var label = copy.textContent;
          copy.textContent = copy.getAttribute('data-copied') || label;
          setTimeout(function () { copy.textContent = label; }, 1500);
        });
      } else if (source) {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
      return;
    }
    // Close open menus and popovers when clicking elsewhere.
    document.querySelectorAll('details.user-menu[open], details.popover[open]').forEach(function (d) {
      if (!d.contains(event.target)) {
        d.removeAttribute('open');
      }
    });
  });

  // <select data-autosubmit> submits its form on change (e.g. picking a class reloads the CI form).
  document.addEventListener('change', function (event) {
    if (event.target.matches && event.target.matches('select[data-autosubmit]') && event.target.form) {
      event.target.form.requestSubmit();
    }
  });

  // Forms that need a second thought: <form data-confirm="Really?">.
  document.addEventListener('submit', function (event) {
    var message = event.target.getAttribute && event.target.getAttribute('data-confirm');
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();

// ==== CMDB (branch cmdbui) ================================================================
// <input type="radio" data-autosubmit-radio> submits its form when chosen (impact direction).
(function () {
  'use strict';
  document.addEventListener('change', function (event) {
    if (event.target.matches && event.target.matches('input[data-autosubmit-radio]') && event.target.form) {
      event.target.form.requestSubmit();
    }
  });
})();
// ==== end CMDB (branch cmdbui) ============================================================
