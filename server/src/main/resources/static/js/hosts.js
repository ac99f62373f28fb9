// Hosts UI behaviour (discovery queue). Loaded by the pages that need it; CSP forbids inline scripts.
(function () {
  'use strict';

  // <input type=checkbox data-diff-filter="#card">: hide the diff rows that match when checked.
  document.addEventListener('change', function (event) {
    var toggle = event.target;
    if (toggle.matches && toggle.matches('[data-diff-filter]')) {
      var target = document.querySelector(toggle.getAttribute('data-diff-filter'));
      if (target) {
        target.classList.toggle('diff-only-changes', toggle.checked);
      }
    }
    if (toggle.matches && toggle.matches('[data-class-select]')) {
      showStatesOf(toggle.closest('[data-class-state]'));
    }
  });

  // A class picker lists only the lifecycle states of the chosen class, starting at a valid one.
  function showStatesOf(group) {
    if (!group) {
      return;
    }
    var cls = group.querySelector('[data-class-select]').value;
    var states = group.querySelector('[data-state-select]');
    var firstVisible = null;
    Array.prototype.forEach.call(states.options, function (o) {
      var visible = o.getAttribute('data-class') === cls;
      o.hidden = !visible;
      o.disabled = !visible;
      if (visible && firstVisible === null) {
        firstVisible = o;
      }
    });
    var selected = states.options[states.selectedIndex];
    if ((!selected || selected.disabled) && firstVisible) {
      firstVisible.selected = true;
    }
  }

  function init() {
    document.querySelectorAll('[data-class-state]').forEach(showStatesOf);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
