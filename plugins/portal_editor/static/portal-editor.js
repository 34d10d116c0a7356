/* portal-editor.js: what the portal adds to Decap CMS (loaded after decap-cms.js, before
 * CMS.init). Our native front matter format, the missing Vietnamese strings, the theme's
 * stylesheet in the preview, the local decap-server's port. Works in a browser (window.CMS)
 * and in node (module.exports: the format's tests). */
(function (root) {
  "use strict";

  // Keys whose value is a comma-separated list (Pelican's Markdown reader reads no YAML list).
  var LIST_KEYS = ["topics", "tags", "attachments", "attachment", "authors", "not-personal"];
  var KEY_LINE = /^([A-Za-z][A-Za-z0-9_-]*):[ \t]*(.*)$/;
  var originalNames = {}; // safe file name → name as chosen on the editor's computer

  function nfc(text) {
    return String(text).normalize("NFC");
  }

  // The name Decap gives an upload (lower case, no diacritics, no spaces): the same folding
  // as our slugs, so the original name can be found again for a link's text.
  function safeName(name) {
    return nfc(name).toLowerCase().replace(/đ/g, "d").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9._-]+/g, "-")
      .replace(/-+/g, "-").replace(/^-|-$/g, "");
  }

  function rememberOriginal(name) {
    originalNames[safeName(name)] = nfc(name);
  }

  function linkText(path) {
    var base = String(path).split("/").pop();
    return originalNames[safeName(base)] || base;
  }

  function fromFile(content) {
    var text = nfc(content).replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
    var lines = text.split("\n");
    var data = {};
    var last = null;
    var i = 0;
    if (!KEY_LINE.test(lines[0] || "")) {
      return { body: text };
    }
    for (; i < lines.length; i++) {
      var line = lines[i];
      if (line.trim() === "") {
        break;
      }
      var match = KEY_LINE.exec(line);
      if (match) {
        last = match[1].toLowerCase();
        data[last] = match[2].trim();
      } else if (last && /^\s/.test(line)) {
        data[last] = (data[last] + " " + line.trim()).trim(); // a continued value
      } else {
        break;
      }
    }
    Object.keys(data).forEach(function (key) {
      if (LIST_KEYS.indexOf(key) >= 0) {
        data[key] = data[key].split(",").map(function (v) { return v.trim(); })
          .filter(function (v) { return v !== ""; });
      }
    });
    data.body = lines.slice(i + 1).join("\n").replace(/^\n+/, "");
    return data;
  }

  function keyName(key) {
    return key.charAt(0).toUpperCase() + key.slice(1);
  }

  function oneLine(value) {
    return nfc(value).replace(/\s*\n\s*/g, " ").trim();
  }

  function plain(value) {
    if (value && typeof value.toJS === "function") {
      value = value.toJS();
    }
    return value;
  }

  function toFile(data, sortedKeys) {
    data = plain(data) || {};
    var order = (plain(sortedKeys) || []).slice();
    Object.keys(data).forEach(function (key) {
      if (order.indexOf(key) < 0) {
        order.push(key);
      }
    });
    var lines = [];
    order.forEach(function (key) {
      if (key === "body" || key.charAt(0) === "_" || !(key in data)) {
        return;
      }
      var value = plain(data[key]);
      if (Array.isArray(value)) {
        value = value.map(function (v) { return oneLine(plain(v)); })
          .filter(function (v) { return v !== ""; }).join(", ");
      } else if (value === null || value === undefined || value === false) {
        value = "";
      } else {
        value = oneLine(value);
      }
      if (value !== "") {
        lines.push(keyName(key) + ": " + value);
      }
    });
    var body = nfc(data.body || "").replace(/\r\n?/g, "\n").trim();
    var downloads = (plain(data._downloads) || []).filter(function (d) { return d && d.file; });
    if (downloads.length) {
      body += (body ? "\n\n" : "") + "Tệp đính kèm:\n\n" + downloads.map(function (d) {
        var label = oneLine(d.text || "") || linkText(d.file);
        return "- [" + label.replace(/([\[\]])/g, "\\$1") + "](" + d.file + ")";
      }).join("\n");
    }
    return lines.join("\n") + "\n\n" + body + "\n";
  }

  // Strings Decap 3.16's Vietnamese locale lacks (it would show them in English).
  var MISSING_VI = {
    collection: {
      collectionTop: { viewAsList: "Xem dạng danh sách", viewAsGrid: "Xem dạng lưới",
                       groupBy: "Nhóm theo" },
      entries: { unpublishedHeader: "Bài chưa đăng" },
      groups: { other: "Khác", negateLabel: "Không %{label}" }
    },
    editor: {
      editorControl: { field: { widgetLabel: "Ô %{widgetLabel}" } },
      editorInterface: { toggleI18n: "Bật/tắt đa ngôn ngữ", togglePreview: "Bật/tắt xem trước",
                         toggleScrollSync: "Cuộn đồng thời", toggleNotes: "Bật/tắt ghi chú" },
      editorWidgets: {
        markdown: { bold: "Đậm", italic: "Nghiêng", strikethrough: "Gạch ngang", code: "Mã",
                    link: "Liên kết", linkPrompt: "Nhập địa chỉ của liên kết",
                    headings: "Đề mục", quote: "Trích dẫn", bulletedList: "Danh sách dấu chấm",
                    numberedList: "Danh sách đánh số", addComponent: "Thêm thành phần",
                    toggleMode: { rich: "Chuyển sang soạn thảo trực quan",
                                  markdown: "Chuyển sang soạn thảo Markdown" } },
        image: { chooseMultiple: "Chọn ảnh", chooseUrl: "Chèn từ địa chỉ",
                 replaceUrl: "Thay bằng địa chỉ", promptUrl: "Nhập địa chỉ của ảnh",
                 addMore: "Thêm ảnh", removeAll: "Xóa mọi ảnh" },
        file: { chooseUrl: "Chèn từ địa chỉ", chooseMultiple: "Chọn tệp",
                replaceUrl: "Thay bằng địa chỉ", promptUrl: "Nhập địa chỉ của tệp",
                addMore: "Thêm tệp", removeAll: "Xóa mọi tệp" },
        datetime: { setToNow: "Đặt %{fieldLabel} là bây giờ" },
        list: { add: "Thêm %{item}", addType: "Thêm %{item}" },
        object: { expand: "Mở rộng", collapse: "Thu gọn" }
      }
    },
    mediaLibrary: {
      mediaLibraryCard: { copy: "Sao chép", copyUrl: "Sao chép địa chỉ",
                          copyPath: "Sao chép đường dẫn", copyName: "Sao chép tên",
                          copied: "Đã sao chép" },
      mediaLibraryModal: { close: "Đóng" }
    },
    ui: { settingsDropdown: { account: "Tài khoản" } }
  };

  function fill(target, extra) {
    Object.keys(extra).forEach(function (key) {
      if (typeof extra[key] === "object") {
        target[key] = fill(target[key] && typeof target[key] === "object" ? target[key] : {},
                           extra[key]);
      } else if (target[key] === undefined) {
        target[key] = extra[key];
      }
    });
    return target;
  }

  // Every text of an entry in NFC before Decap makes its slug: text typed or pasted on some
  // systems is decomposed (NFD), and Decap would turn "Đội" into "do-i".
  function nfcValue(value) {
    if (typeof value === "string") {
      return nfc(value);
    }
    if (Array.isArray(value) || (value && typeof value.toJS === "function")) {
      return value.map(nfcValue);
    }
    return value;
  }

  function megabytes(bytes) {
    return (Math.round(bytes / 104857.6) / 10).toString().replace(".", ",") + " MB";
  }

  // The build's rules for a file about to be uploaded (rules: admin/index.html's data block,
  // made from plugins/portal_safety/attachments.yml and the size settings). Returns null, or
  // {refuse: true|false, message} in Vietnamese.
  function checkUpload(name, size, rules) {
    var ext = (String(name).match(/\.([A-Za-z0-9]+)$/) || [null, ""])[1].toLowerCase();
    if (rules.macros[ext]) {
      return { refuse: true, message: "Tệp «" + name + "» có thể chứa macro (." + ext +
        ") nên không được đăng. Hãy lưu lại dưới dạng ." + rules.macros[ext] + " rồi tải lên." };
    }
    if (!rules.types[ext]) {
      return { refuse: true, message: "Không đăng được tệp «" + name + "»: chỉ nhận " +
        Object.keys(rules.types).map(function (e) { return "." + e; }).join(", ") + "." };
    }
    var photo = rules.photos.indexOf(ext) >= 0;
    var limit = photo ? rules.photo_max_bytes : rules.max_bytes;
    if (size > limit) {
      return { refuse: true, message: "Tệp «" + name + "» nặng " + megabytes(size) +
        ", quá giới hạn " + megabytes(limit) + (photo ? " cho một ảnh: hãy chụp hoặc lưu ảnh " +
        "nhỏ hơn." : ": hãy chia nhỏ hoặc nén tệp.") };
    }
    if (!photo && size > rules.warn_bytes) {
      return { refuse: false, message: "Tệp «" + name + "» nặng " + megabytes(size) +
        " (trên " + megabytes(rules.warn_bytes) + "): cha mẹ học sinh dùng điện thoại sẽ khó " +
        "tải về; nên nén hoặc chia nhỏ nếu được." };
    }
    return null;
  }

  var api = { checkUpload: checkUpload, fromFile: fromFile, toFile: toFile, safeName: safeName, fill: fill,
              nfcValue: nfcValue, rememberOriginal: rememberOriginal, MISSING_VI: MISSING_VI };

  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  }
  var CMS = root && root.CMS;
  if (!CMS) {
    return;
  }
  CMS.registerCustomFormat("portal-md", "md", { fromFile: fromFile, toFile: toFile });
  CMS.registerLocale("vi", fill(JSON.parse(JSON.stringify(CMS.getLocale("vi") || {})),
                                MISSING_VI));
  CMS.registerPreviewStyle("../theme/css/portal.css");
  CMS.registerEventListener({ name: "preSave", handler: function (event) {
    return nfcValue(event.entry.get("data"));
  } });
  // Uploads: the original name is kept (for the link text) and a decomposed (NFD) name is
  // recomposed before Decap makes it safe, so "Ảnh" becomes "anh", not "a-nh". This runs
  // in the capture phase on document, before Decap's own handler.
  root.document.addEventListener("change", function (event) {
    var input = event.target;
    var files = input && input.files;
    if (!files || !files.length) {
      return;
    }
    var rules = root.document.getElementById("quy-tac-tai-len");
    rules = rules ? JSON.parse(rules.textContent) : null;
    var renamed = new root.DataTransfer();
    var changed = false;
    for (var k = 0; k < files.length; k++) {
      var name = nfc(files[k].name);
      var problem = rules && checkUpload(name, files[k].size, rules);
      if (problem) {
        root.alert(problem.message);
        if (problem.refuse) {  // Decap never sees the file
          event.stopPropagation();
          event.preventDefault();
          input.value = "";
          return;
        }
      }
      rememberOriginal(name);
      if (name !== files[k].name) {
        changed = true;
        renamed.items.add(new root.File([files[k]], name, { type: files[k].type,
                                                             lastModified: files[k].lastModified }));
      } else {
        renamed.items.add(files[k]);
      }
    }
    if (changed) {
      input.files = renamed.files;
    }
  }, true);
  var init = {};
  var port = new root.URLSearchParams(root.location.search).get("cong-may-chu");
  if (port && /^\d+$/.test(port)) {
    init.config = { local_backend: { url: "http://127.0.0.1:" + port + "/api/v1",
                                     allowed_hosts: ["127.0.0.1", "localhost"] } };
  }
  CMS.init(init);
}(typeof window !== "undefined" ? window : null));
