// The upload page's drop zone: a file dropped on it becomes the form's file, as if chosen. A file over the size
// limit is refused here, before its bytes are sent (the server refuses it too, but a browser still sending a body
// the server has stopped reading may show a reset connection instead of the server's page). Without JavaScript the
// file input still works.
(function () {
  var zone = document.getElementById("drop"), input = document.getElementById("file");
  var check = document.getElementById("file-check");
  if (!zone || !input) { return; }
  input.form.addEventListener("submit", function (event) {
    var file = input.files && input.files[0];
    if (file && file.size > Number(input.dataset.max)) {
      event.preventDefault();
      check.textContent = input.dataset.tooLarge;
      check.hidden = false;
    }
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      input.form.requestSubmit();  // goes through the size check above
    }
  });
})();
