/* The guide's section editor: kind-specific fields, reorder by drag or keyboard, live preview.
 *
 * Progressive: the inline works without this file (CSS shows each kind's fields, positions are typed).
 * Strict CSP: no inline script, no eval; the server sends no inline styles, this file sets only `hidden`.
 */
"use strict";
{
    const KIND_FIELDS = {
        prose: ["heading", "body"],
        profile: ["heading", "framework", "caption"],
        table: ["heading", "metrics", "caption"],
        matrix: ["heading", "capabilities", "caption"],
        chart: ["heading", "metric", "caption"],
        quote: ["heading", "body", "attribution"],
    };
    const KIND_NAMES = {prose: "Prose", profile: "Profile", table: "Table", matrix: "Matrix", chart: "Chart", quote: "Quote"};
    const OPTIONAL = ["heading", "body", "attribution", "framework", "metric", "metrics", "capabilities", "caption"];
    const DEBOUNCE_MS = 400;
    const RETRY_MS = 1000;

    function cards(group) {
        return Array.from(group.querySelectorAll(".section-card")).filter((c) => !c.classList.contains("empty-form"));
    }

    function kindSelect(card) {
        return card.querySelector("select.section-kind");
    }

    function cardPrefix(card) {
        const select = kindSelect(card);
        return select ? select.name.replace(/-kind$/, "") : null;
    }

    function summaryText(card) {
        const select = kindSelect(card);
        const kind = KIND_NAMES[select.value] || "Section";
        const heading = card.querySelector("input[name$='-heading']");
        const body = card.querySelector("textarea[name$='-body']");
        let detail = heading && heading.value.trim();
        if (!detail && body && KIND_FIELDS[select.value].includes("body")) {
            detail = body.value.replace(/[#*_>`]/g, "").trim().replace(/\s+/g, " ").slice(0, 60);
        }
        return kind + ": " + (detail || "(not filled in yet)");
    }

    function applyKind(card) {
        const select = kindSelect(card);
        if (!select) {
            return;
        }
        const used = KIND_FIELDS[select.value] || OPTIONAL;
        for (const name of OPTIONAL) {
            const row = card.querySelector(".form-row.field-" + name);
            if (row) {
                row.hidden = !used.includes(name);
            }
        }
        for (const description of card.querySelectorAll(".kind-description")) {
            description.hidden = description.dataset.kind !== select.value;
        }
    }

    function announce(group, text) {
        group.querySelector(".section-announcer").textContent = text;
    }

    function describe(group, card) {
        const all = cards(group);
        return card.querySelector(".section-summary-text").textContent + ", position " +
            (all.indexOf(card) + 1) + " of " + all.length;
    }

    /* Positions follow the order on screen; forms are renamed so saved sections keep the first indexes,
     * which Django's formset requires, whatever order the rows were moved or deleted in. */
    function renumber(group, reindex) {
        const prefix = group.dataset.prefix;
        const all = cards(group);
        all.forEach((card, i) => {
            const position = card.querySelector("input[name$='-position']");
            if (position) {
                position.value = (i + 1) * 10;
            }
        });
        if (!reindex) {
            return;
        }
        const saved = all.filter((c) => {
            const id = c.querySelector("input[name$='-id']");
            return id && id.value;
        });
        const unsaved = all.filter((c) => !saved.includes(c));
        const pattern = new RegExp("^" + prefix + "-(\\d+|__prefix__)-");
        [...saved, ...unsaved].forEach((card, index) => {
            const replacement = prefix + "-" + index + "-";
            for (const el of card.querySelectorAll("[name], [id], label[for]")) {
                for (const attribute of ["name", "id", "for"]) {
                    const value = el.getAttribute(attribute);
                    if (value) {
                        el.setAttribute(attribute, value.replace(pattern, replacement)
                            .replace(new RegExp("^id_" + prefix + "-(\\d+|__prefix__)-"), "id_" + replacement));
                    }
                }
            }
            card.id = prefix + "-" + index;
        });
    }

    /* Live preview -------------------------------------------------------------------------------- */
    function previewData(card, form) {
        const prefix = cardPrefix(card);
        const data = new FormData();
        data.append("prefix", prefix);
        data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
        for (const el of card.querySelectorAll("input[name], select[name], textarea[name]")) {
            if (!el.name.startsWith(prefix + "-") || el.name.endsWith("-DELETE")) {
                continue;
            }
            if (el.tagName === "SELECT" && el.multiple) {
                for (const option of el.selectedOptions) {
                    data.append(el.name, option.value);
                }
            } else if ((el.type !== "checkbox" && el.type !== "radio") || el.checked) {
                data.append(el.name, el.value);
            }
        }
        return data;
    }

    function preview(group, card, retried = false) {
        const url = group.dataset.previewUrl;
        const details = card.querySelector(".section-details");
        if (!url || !details.open) {
            return;
        }
        const box = card.querySelector(".section-preview-box");
        const target = card.querySelector(".section-preview");
        const form = card.closest("form");
        const request = (card.previewRequest = (card.previewRequest || 0) + 1);
        target.setAttribute("aria-busy", "true");
        fetch(url, {method: "POST", body: previewData(card, form), credentials: "same-origin",
            headers: {"X-Requested-With": "fetch"}})
            .then((response) => response.text().then((text) => ({ok: response.ok || response.status === 400, text})))
            .then(({ok, text}) => {
                if (request !== card.previewRequest) {
                    return;  // a newer preview is on its way
                }
                if (!ok && !retried) {
                    retry(group, card);
                    return;
                }
                // The fragment is the public page's own sanitized markup (or a list of problems).
                target.innerHTML = ok ? text : "<p>The preview is not available right now.</p>";
                box.hidden = false;
                target.setAttribute("aria-busy", "false");
            })
            .catch(() => {
                if (request !== card.previewRequest) {
                    return;
                }
                if (!retried) {
                    retry(group, card);
                    return;
                }
                target.textContent = "The preview is not available right now.";
                box.hidden = false;
                target.setAttribute("aria-busy", "false");
            });
    }

    function retry(group, card) {
        // One more try after a moment: a busy server or a dropped connection should not leave a stale preview.
        clearTimeout(card.previewTimer);
        card.previewTimer = setTimeout(() => preview(group, card, true), RETRY_MS);
    }

    function schedulePreview(group, card) {
        clearTimeout(card.previewTimer);
        card.previewTimer = setTimeout(() => preview(group, card), DEBOUNCE_MS);
    }

    /* Reordering ---------------------------------------------------------------------------------- */
    function moveBy(group, card, step) {
        const all = cards(group);
        const index = all.indexOf(card);
        const other = all[index + step];
        if (!other) {
            return false;
        }
        if (step < 0) {
            other.before(card);
        } else {
            other.after(card);
        }
        return true;
    }

    function setupKeyboard(group, card, handle) {
        let home = null;
        const drop = (message) => {
            home = null;
            card.classList.remove("is-grabbed");
            handle.setAttribute("aria-pressed", "false");
            renumber(group);
            announce(group, message);
        };
        handle.addEventListener("click", (event) => event.preventDefault());
        handle.addEventListener("keydown", (event) => {
            const key = event.key;
            if (key === " " || key === "Enter") {
                event.preventDefault();
                if (home) {
                    drop("Dropped. " + describe(group, card) + ".");
                } else {
                    home = {next: card.nextElementSibling};
                    card.classList.add("is-grabbed");
                    handle.setAttribute("aria-pressed", "true");
                    announce(group, "Picked up " + describe(group, card) +
                        ". Move it with the up and down arrow keys, press Space to drop it, Escape to cancel.");
                }
            } else if (home && (key === "ArrowUp" || key === "ArrowDown")) {
                event.preventDefault();
                if (moveBy(group, card, key === "ArrowUp" ? -1 : 1)) {
                    handle.focus();
                }
                announce(group, "Moved: " + describe(group, card) + ".");
            } else if (home && key === "Escape") {
                event.preventDefault();
                home.next.before(card);
                handle.focus();
                drop("Move cancelled. " + describe(group, card) + ".");
            }
        });
    }

    function setupDrag(group) {
        let dragged = null;
        group.addEventListener("dragstart", (event) => {
            const card = event.target;
            if (!card.classList || !card.classList.contains("section-card") || !card.draggable) {
                return;
            }
            dragged = card;
            dragged.classList.add("is-dragging");
            event.dataTransfer.effectAllowed = "move";
            event.dataTransfer.setData("text/plain", dragged.querySelector(".section-summary-text").textContent);
        });
        group.addEventListener("dragover", (event) => {
            if (!dragged) {
                return;
            }
            const over = event.target.closest(".section-card");
            if (!over || over === dragged || over.classList.contains("empty-form")) {
                event.preventDefault();
                return;
            }
            event.preventDefault();
            event.dataTransfer.dropEffect = "move";
            const box = over.getBoundingClientRect();
            if (event.clientY < box.top + box.height / 2) {
                over.before(dragged);
            } else {
                over.after(dragged);
            }
        });
        group.addEventListener("drop", (event) => {
            if (dragged) {
                event.preventDefault();
            }
        });
        group.addEventListener("dragend", () => {
            if (!dragged) {
                return;
            }
            const card = dragged;
            dragged = null;
            card.draggable = false;
            card.classList.remove("is-dragging");
            renumber(group);
            announce(group, "Dropped. " + describe(group, card) + ".");
        });
    }

    /* Each section -------------------------------------------------------------------------------- */
    function setupCard(group, card) {
        if (card.dataset.sectionEditor) {
            return;
        }
        card.dataset.sectionEditor = "ready";
        const handle = card.querySelector(".section-handle");
        handle.hidden = false;
        handle.setAttribute("aria-pressed", "false");
        // The card drags (so the whole section moves under the pointer), but only from its handle.
        handle.addEventListener("pointerdown", () => {
            card.draggable = true;
        });
        handle.addEventListener("pointerup", () => {
            card.draggable = false;
        });
        const position = card.querySelector(".fieldBox.field-position");
        if (position) {
            position.hidden = true;
        }
        applyKind(card);
        setupKeyboard(group, card, handle);
        const details = card.querySelector(".section-details");
        details.addEventListener("toggle", () => {
            if (details.open) {
                schedulePreview(group, card);
            }
        });
        const changed = (event) => {
            if (event.target.matches("select.section-kind")) {
                applyKind(card);
            }
            const name = event.target.name || "";
            if (event.isTrusted && /-(kind|heading|body)$/.test(name)) {
                card.querySelector(".section-summary-text").textContent = summaryText(card);
            }
            if (name && !name.endsWith("-DELETE")) {
                schedulePreview(group, card);
            }
        };
        card.addEventListener("input", changed);
        card.addEventListener("change", changed);
        // Select2 (autocomplete) reports changes through jQuery only.
        if (window.django && window.django.jQuery) {
            window.django.jQuery(card).on("change", "select", (event) => {
                if (!event.originalEvent) {
                    changed(event);
                }
            });
        }
    }

    function init(group) {
        for (const el of group.querySelectorAll(".section-editor-js")) {
            el.hidden = false;
        }
        for (const el of group.querySelectorAll(".section-editor-nojs")) {
            el.hidden = true;
        }
        cards(group).forEach((card) => setupCard(group, card));
        setupDrag(group);
        document.addEventListener("formset:added", (event) => {
            if (event.detail && event.detail.formsetName === group.dataset.prefix) {
                const card = event.target;
                setupCard(group, card);
                renumber(group);
                card.querySelector(".section-details").open = true;
            }
        });
        const form = group.closest("form");
        if (form) {
            form.addEventListener("submit", () => renumber(group, true));
        }
    }

    function start() {
        document.querySelectorAll(".section-editor").forEach(init);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}
