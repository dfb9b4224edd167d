//! `#[derive(Wire)]`: a request type's field rules, declared once.
//!
//! Each field that carries a rule says so with `#[wire(RULE)]`, where
//! `RULE` is an expression whose value implements
//! `infraval_api::wire::Rule<FieldType>`: a range such as
//! `bounds::OCCUPANCY`, a capped list, or a nested request object. The
//! derive writes `infraval_api::wire::Wire` for the type, so that the
//! runtime check ([`Wire::check`]), the OpenAPI document
//! ([`Wire::document`]) and the JSON shape check ([`Wire::check_fields`])
//! all read that one expression. Fields without `#[wire]` are left to
//! serde.
//!
//! A field's default is declared in the same attribute:
//! `#[wire(RULE, default = VALUE)]` (`VALUE: Into<T>` for an `Option<T>`
//! field), or `default_with = FUNCTION` for a default that depends on
//! other fields (`fn(&Self) -> Option<T>`, `None` when the field stays
//! absent). A `default = VALUE` is also the schema's `default`.
//! [`Wire::fill_defaults`] applies them, in field order, and
//! recurses into nested request objects, so that the request the core
//! receives, the canonical form the input hash covers and the
//! `assumptions` of an answer all come from that one declaration.
//!
//! A default of a nested object's field that depends on the enclosing
//! request (a capped call's lower strike is the notes' parity price) is
//! declared on the enclosing struct: `#[wire(fill_nested = FUNCTION)]`,
//! a `fn(&mut Self)` run after the fields' own defaults.
//!
//! [`Wire::fill_defaults`]: ../infraval_api/wire/trait.Wire.html#method.fill_defaults
//!
//! [`Wire::check`]: ../infraval_api/wire/trait.Wire.html#tymethod.check
//! [`Wire::document`]: ../infraval_api/wire/trait.Wire.html#tymethod.document
//! [`Wire::check_fields`]: ../infraval_api/wire/trait.Wire.html#tymethod.check_fields

use proc_macro::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{parse_macro_input, Data, DeriveInput, Expr, Fields, Token};

/// Derives `infraval_api::wire::Wire` from the `#[wire(RULE)]` attributes
/// of a struct's named fields.
#[proc_macro_derive(Wire, attributes(wire))]
pub fn derive_wire(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

fn expand(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => &named.named,
            _ => {
                return Err(syn::Error::new_spanned(
                    &input.ident,
                    "#[derive(Wire)] needs a struct with named fields",
                ))
            }
        },
        _ => {
            return Err(syn::Error::new_spanned(
                &input.ident,
                "#[derive(Wire)] needs a struct; write `Wire` by hand for an enum",
            ))
        }
    };
    let mut checks = Vec::new();
    let mut documents = Vec::new();
    let mut shapes = Vec::new();
    let mut defaults = Vec::new();
    for field in fields {
        let mut attrs = field.attrs.iter().filter(|a| a.path().is_ident("wire"));
        let Some(attr) = attrs.next() else {
            continue;
        };
        if let Some(second) = attrs.next() {
            return Err(syn::Error::new_spanned(
                second,
                "one #[wire(..)] per field: put the rule and the default in one",
            ));
        }
        let args = attr.parse_args_with(Punctuated::<Expr, Token![,]>::parse_terminated)?;
        let ident = field.ident.as_ref().expect("named fields have names");
        let name = ident.to_string();
        let ty = &field.ty;
        for arg in args {
            match arg {
                Expr::Assign(assign) if is_ident(&assign.left, "default") => {
                    let value = &assign.right;
                    defaults.push(quote! {
                        if self.#ident.is_none() {
                            self.#ident = ::std::option::Option::Some(::std::convert::Into::into(#value));
                        }
                    });
                    documents.push(quote! {
                        doc.property(&name, #name, |property| {
                            let value: #ty = ::std::option::Option::Some(::std::convert::Into::into(#value));
                            ::infraval_api::wire::document_default(property, &value);
                        });
                    });
                }
                Expr::Assign(assign) if is_ident(&assign.left, "default_with") => {
                    let function = &assign.right;
                    defaults.push(quote! {
                        if self.#ident.is_none() {
                            self.#ident = (#function)(&*self);
                        }
                    });
                }
                Expr::Assign(assign) => {
                    return Err(syn::Error::new_spanned(
                        &assign.left,
                        "expected `default = VALUE` or `default_with = FUNCTION`",
                    ))
                }
                rule => {
                    checks.push(quote! {
                        ::infraval_api::wire::Rule::<#ty>::check(&(#rule), &self.#ident, &at.field(#name), errors);
                    });
                    documents.push(quote! {
                        doc.property(&name, #name, |property| {
                            ::infraval_api::wire::Rule::<#ty>::document(&(#rule), property)
                        });
                        ::infraval_api::wire::Rule::<#ty>::nested(&(#rule), doc);
                    });
                    shapes.push(quote! {
                        if let Some(field) = value.get(#name) {
                            ::infraval_api::wire::Rule::<#ty>::check_shape(&(#rule), field, &at.field(#name))?;
                        }
                    });
                    defaults.push(quote! {
                        ::infraval_api::wire::Rule::<#ty>::fill_defaults(&(#rule), &mut self.#ident);
                    });
                }
            }
        }
    }
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("wire")) {
        let args = attr.parse_args_with(Punctuated::<Expr, Token![,]>::parse_terminated)?;
        for arg in args {
            match arg {
                Expr::Assign(assign) if is_ident(&assign.left, "fill_nested") => {
                    let function = &assign.right;
                    defaults.push(quote! {
                        (#function)(self);
                    });
                }
                other => {
                    return Err(syn::Error::new_spanned(
                        other,
                        "expected `fill_nested = FUNCTION` (a `fn(&mut Self)`) on the struct",
                    ))
                }
            }
        }
    }
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics ::infraval_api::wire::Wire for #ident #ty_generics #where_clause {
            fn check(
                &self,
                at: &::infraval_api::wire::Path<'_>,
                errors: &mut ::infraval_api::wire::Errors,
            ) {
                #(#checks)*
            }

            fn document(doc: &mut ::infraval_api::wire::Documenter) {
                let name = <Self as ::utoipa::ToSchema>::name();
                if !doc.start(&name) {
                    return;
                }
                #(#documents)*
            }

            fn fill_defaults(&mut self) {
                #(#defaults)*
            }

            fn check_fields(
                value: &::infraval_api::wire::Value,
                at: &::infraval_api::wire::Path<'_>,
            ) -> ::std::result::Result<(), ::infraval_api::json::BodyError> {
                #(#shapes)*
                ::std::result::Result::Ok(())
            }
        }
    })
}

fn is_ident(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Path(path) if path.path.is_ident(name))
}
