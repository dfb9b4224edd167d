//! The OpenAPI document and Swagger UI at `/docs/`, whose "Try it out"
//! shows a chart answer as a picture.

use std::sync::Arc;

use actix_web::web::{self, ServiceConfig};
use actix_web::HttpResponse;
use utoipa::openapi::OpenApi;
use utoipa_swagger_ui::{Config, SwaggerUi};

/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/openapi.json";

/// Swagger UI shows an `image/svg+xml` answer as its source text (it never
/// puts an answer's markup into the page, where its scripts would run).
/// This plugin shows it as a picture instead: in an `<img>`, an SVG runs no
/// script either.
const SVG_AS_PICTURE: &str = r##"const SvgAnswerAsPicture = () => ({
  wrapComponents: {
    responseBody: (Original, system) => (props) => {
      const React = system.React;
      if (!/^image\/svg\+xml/i.test(props.contentType || "") || typeof props.content !== "string") {
        return React.createElement(Original, props);
      }
      const src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(props.content);
      return React.createElement("div", null,
        React.createElement("h5", null, "Response body"),
        React.createElement("img", {
          src,
          alt: "The chart of the answer",
          className: "chart-answer",
          style: { maxWidth: "100%", background: "#fff" },
        }));
    },
  },
});
"##;

/// The plugin list of Swagger UI's initializer, before and after ours is
/// added.
const PLUGINS: (&str, &str) = (
    "SwaggerUIBundle.plugins.DownloadUrl",
    "SwaggerUIBundle.plugins.DownloadUrl, SvgAnswerAsPicture",
);

/// Swagger UI's `swagger-initializer.js` with [`SVG_AS_PICTURE`] among its
/// plugins; `None` if the initializer has no plugin list to add it to.
fn initializer() -> Option<String> {
    let file = utoipa_swagger_ui::serve(
        "swagger-initializer.js",
        Arc::new(Config::new([OPENAPI_PATH])),
    )
    .ok()
    .flatten()?;
    let text = String::from_utf8(file.bytes.into_owned()).ok()?;
    text.contains(PLUGINS.0).then(|| {
        format!(
            "{SVG_AS_PICTURE}\n{}",
            text.replacen(PLUGINS.0, PLUGINS.1, 1)
        )
    })
}

/// Registers the document, Swagger UI and its initializer.
pub fn configure(cfg: &mut ServiceConfig, doc: OpenApi) {
    // Registered before Swagger UI's own files, so that this one is served.
    if let Some(script) = initializer() {
        cfg.route(
            "/docs/swagger-initializer.js",
            web::get().to(move || {
                let script = script.clone();
                async move {
                    HttpResponse::Ok()
                        .content_type("application/javascript; charset=utf-8")
                        .body(script)
                }
            }),
        );
    }
    cfg.service(SwaggerUi::new("/docs/{_:.*}").url(OPENAPI_PATH, doc))
        .service(web::redirect("/docs", "/docs/"))
        .service(web::redirect("/", "/docs/"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_initializer_adds_the_svg_plugin_to_swagger_uis_own() {
        let script = initializer().expect("Swagger UI's initializer has a plugin list");
        assert!(script.contains(PLUGINS.1), "{script}");
        assert!(
            script.contains(&format!("\"url\": \"{OPENAPI_PATH}\"")),
            "{script}"
        );
        assert!(script.starts_with("const SvgAnswerAsPicture"));
    }
}
