// The /files upload: sends the chosen file as the raw request body (the server streams it to disk
// and hashes it on the way) and shows progress; reloads the list when the server has it.
(function () {
  'use strict';
  var form = document.getElementById('file-upload-form');
  if (!form) {
    return;
  }
  var bar = document.getElementById('file-upload-bar');
  var percent = document.getElementById('file-upload-percent');
  var progress = document.getElementById('file-upload-progress');
  var error = document.getElementById('file-upload-error');

  function fail(message) {
    error.textContent = message;
    error.hidden = false;
    progress.hidden = true;
  }

  form.addEventListener('submit', function (event) {
    var input = document.getElementById('file-input');
    if (!input.files || input.files.length === 0 || !window.XMLHttpRequest) {
      return; // let the browser post the form
    }
    event.preventDefault();
    var file = input.files[0];
    error.hidden = true;
    if (file.size > Number(form.getAttribute('data-max-bytes'))) {
      fail(form.getAttribute('data-too-large') + file.name);
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('data-upload-url') + '?name=' + encodeURIComponent(file.name));
    var token = document.querySelector('meta[name="_csrf"]');
    var header = document.querySelector('meta[name="_csrf_header"]');
    if (token && header) {
      xhr.setRequestHeader(header.getAttribute('content'), token.getAttribute('content'));
    }
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) {
        var p = Math.floor(e.loaded * 100 / e.total);
        bar.value = p;
        percent.textContent = p + ' %';
      }
    });
    xhr.addEventListener('load', function () {
      if (xhr.status === 200 || xhr.status === 201) {
        window.location.reload();
      } else {
        var detail = '';
        try {
          detail = JSON.parse(xhr.responseText).detail || '';
        } catch (ignored) {
          detail = '';
        }
        fail(form.getAttribute('data-failed') + ' ' + xhr.status + ' ' + detail);
      }
    });
    xhr.addEventListener('error', function () {
      fail(form.getAttribute('data-failed'));
    });
    progress.hidden = false;
    xhr.send(file);
  });
})();
