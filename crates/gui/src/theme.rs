//! Coffer's look: a type scale and spacing, light and dark colours, a readable centred column, the primary and
//! secondary buttons, and the chain icons (painted shapes, Coffer's own designs).
//!
//! Every screen draws its buttons with [`primary`] (the one action a screen is for, at most one or two per screen)
//! or [`secondary`] (everything else), so they look the same everywhere; text sizes come from the text styles set
//! here, never from ad-hoc sizes.

use coffer_core::Chain;
use egui::{Color32, FontFamily, FontId, RichText, Stroke, TextStyle, Theme, ThemePreference, Vec2, pos2, vec2};

/// The widest the content column gets: about 90 characters of body text, comfortable to read.
pub const COLUMN_WIDTH: f32 = 780.0;

/// The size of a section title (between body text and a screen's title).
pub const SECTION_SIZE: f32 = 19.0;

/// Light, dark, or as the system says (saved in the settings as `theme = system|light|dark`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeChoice {
    /// Follow the system's setting when eframe reports one, else light.
    #[default]
    System,
    /// Dark text on a light background.
    Light,
    /// Light text on a dark background.
    Dark,
}

impl ThemeChoice {
    /// Every choice, in the order the settings show them.
    pub const ALL: [Self; 3] = [Self::System, Self::Light, Self::Dark];

    /// The settings file's word.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }

    /// The choice named `name` in the settings file.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// What the settings screen calls it.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::System => "Follow the system",
            Self::Light => "Light",
            Self::Dark => "Dark",
        }
    }

    /// egui's preference for this choice.
    #[must_use]
    pub fn preference(self) -> ThemePreference {
        match self {
            Self::System => ThemePreference::System,
            Self::Light => ThemePreference::Light,
            Self::Dark => ThemePreference::Dark,
        }
    }
}

/// Sets Coffer's styles for both themes (once, at start) and the theme `choice`. Without a system theme reported,
/// "follow the system" is light.
pub fn install(ctx: &egui::Context, choice: ThemeChoice) {
    ctx.options_mut(|o| o.fallback_theme = Theme::Light);
    for theme in [Theme::Light, Theme::Dark] {
        ctx.style_mut_of(theme, |s| style(s, theme));
    }
    set(ctx, choice);
}

/// Switches to the theme `choice` (unless it is already the context's preference).
pub fn set(ctx: &egui::Context, choice: ThemeChoice) {
    if ctx.options(|o| o.theme_preference) != choice.preference() {
        ctx.set_theme(choice.preference());
    }
}

/// The accent colour (primary buttons, selection, links).
#[must_use]
pub fn accent(dark: bool) -> Color32 {
    if dark { Color32::from_rgb(86, 170, 214) } else { Color32::from_rgb(24, 96, 140) }
}

/// Text on the accent colour.
fn on_accent(dark: bool) -> Color32 {
    if dark { Color32::from_rgb(10, 24, 34) } else { Color32::WHITE }
}

fn style(s: &mut egui::Style, theme: Theme) {
    let dark = theme == Theme::Dark;
    // The type scale: 13 (small), 15 (body, buttons), 14 (monospace), 19 (section), 24 (screen title).
    s.text_styles = [
        (TextStyle::Small, FontId::new(13.0, FontFamily::Proportional)),
        (TextStyle::Body, FontId::new(15.0, FontFamily::Proportional)),
        (TextStyle::Button, FontId::new(15.0, FontFamily::Proportional)),
        (TextStyle::Monospace, FontId::new(14.0, FontFamily::Monospace)),
        (TextStyle::Heading, FontId::new(24.0, FontFamily::Proportional)),
    ]
    .into();
    let sp = &mut s.spacing;
    sp.item_spacing = vec2(8.0, 9.0);
    sp.button_padding = vec2(12.0, 5.0);
    sp.interact_size = vec2(40.0, 26.0);
    sp.indent = 22.0;
    sp.combo_width = 220.0;
    sp.text_edit_width = 320.0;
    sp.menu_margin = egui::Margin::same(8);
    sp.window_margin = egui::Margin::same(12);

    let mut v = if dark { egui::Visuals::dark() } else { egui::Visuals::light() };
    let accent = accent(dark);
    if dark {
        v.panel_fill = Color32::from_rgb(26, 29, 33);
        v.window_fill = Color32::from_rgb(32, 36, 41);
        v.extreme_bg_color = Color32::from_rgb(16, 18, 21);
        v.faint_bg_color = Color32::from_rgb(34, 38, 44);
        v.warn_fg_color = Color32::from_rgb(240, 184, 80);
        v.error_fg_color = Color32::from_rgb(255, 130, 120);
        v.override_text_color = Some(Color32::from_rgb(226, 229, 233));
    } else {
        v.panel_fill = Color32::from_rgb(246, 245, 242);
        v.window_fill = Color32::WHITE;
        v.extreme_bg_color = Color32::WHITE;
        v.faint_bg_color = Color32::from_rgb(238, 236, 232);
        // Dark enough for body-size text on the light panel (contrast above 4.5:1).
        v.warn_fg_color = Color32::from_rgb(150, 82, 0);
        v.error_fg_color = Color32::from_rgb(176, 32, 28);
        v.override_text_color = Some(Color32::from_rgb(28, 31, 35));
    }
    v.hyperlink_color = accent;
    v.selection.bg_fill = accent.gamma_multiply(if dark { 0.45 } else { 0.25 });
    v.selection.stroke = Stroke::new(1.0, if dark { Color32::WHITE } else { Color32::from_rgb(10, 40, 60) });
    let radius = egui::CornerRadius::same(6);
    for w in [
        &mut v.widgets.noninteractive,
        &mut v.widgets.inactive,
        &mut v.widgets.hovered,
        &mut v.widgets.active,
        &mut v.widgets.open,
    ] {
        w.corner_radius = radius;
    }
    // Text fields and unselected controls show their edge in both themes.
    let edge = if dark { Color32::from_rgb(78, 86, 96) } else { Color32::from_rgb(176, 172, 164) };
    v.widgets.inactive.bg_stroke = Stroke::new(1.0, edge);
    v.widgets.noninteractive.bg_stroke =
        Stroke::new(1.0, if dark { Color32::from_rgb(52, 58, 66) } else { Color32::from_rgb(218, 214, 206) });
    if !dark {
        v.widgets.inactive.weak_bg_fill = Color32::from_rgb(232, 230, 225);
        v.widgets.inactive.bg_fill = Color32::from_rgb(226, 224, 219);
    }
    v.widgets.hovered.bg_stroke = Stroke::new(1.0, accent);
    s.visuals = v;
}

/// Lays `add` out in a column at most [`COLUMN_WIDTH`] wide, centred in the space there is.
pub fn column<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    let width = ui.available_width().min(COLUMN_WIDTH);
    let margin = ((ui.available_width() - width) / 2.0).floor().max(0.0);
    ui.horizontal_top(|ui| {
        ui.add_space(margin);
        ui.vertical(|ui| {
            ui.set_width(width);
            add(ui)
        })
        .inner
    })
    .inner
}

/// A section title inside a screen (between the body text and the screen's heading).
#[must_use]
pub fn section(text: impl Into<String>) -> RichText {
    RichText::new(text).size(SECTION_SIZE).strong()
}

/// The main button of a screen: filled with the accent colour. Disabled when `enabled` is false. (Heights come
/// from the style's spacing, set in [`install`].)
pub fn primary_enabled(ui: &mut egui::Ui, enabled: bool, text: impl Into<String>) -> egui::Response {
    let dark = ui.visuals().dark_mode;
    let mut text = RichText::new(text).strong();
    let mut button = egui::Button::new(text.clone());
    if enabled {
        text = text.color(on_accent(dark));
        button = egui::Button::new(text).fill(accent(dark));
    }
    ui.add_enabled(enabled, button)
}

/// The main button of a screen (see [`primary_enabled`]).
pub fn primary(ui: &mut egui::Ui, text: impl Into<String>) -> egui::Response {
    primary_enabled(ui, true, text)
}

/// Any other button. Disabled when `enabled` is false.
pub fn secondary_enabled(ui: &mut egui::Ui, enabled: bool, text: impl Into<String>) -> egui::Response {
    ui.add_enabled(enabled, egui::Button::new(text.into()))
}

/// Any other button (see [`secondary_enabled`]).
pub fn secondary(ui: &mut egui::Ui, text: impl Into<String>) -> egui::Response {
    secondary_enabled(ui, true, text)
}

/// A chain's colour (its icon's disc).
#[must_use]
pub fn chain_color(chain: Chain) -> Color32 {
    match chain {
        Chain::Iota => Color32::from_rgb(20, 150, 140),
        Chain::IotaStardust => Color32::from_rgb(110, 130, 140),
        Chain::Sui => Color32::from_rgb(60, 130, 220),
        Chain::Solana => Color32::from_rgb(130, 80, 200),
        Chain::Stellar => Color32::from_rgb(40, 44, 52),
        _ => Color32::GRAY,
    }
}

/// Paints `chain`'s icon, `size` points square: a coloured disc with a white sign of Coffer's own design (IOTA:
/// three linked nodes; IOTA Stardust: the same, with a dot inside; Sui: three waves; Solana: a sun; Stellar: a
/// four-pointed star). Hovering names the chain.
pub fn chain_icon(ui: &mut egui::Ui, chain: Chain, size: f32) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(Vec2::splat(size), egui::Sense::hover());
    if ui.is_rect_visible(rect) {
        paint_chain_icon(ui.painter(), rect, chain, ui.visuals().dark_mode);
    }
    response
}

/// Paints `chain`'s icon into `rect` (see [`chain_icon`]).
pub fn paint_chain_icon(p: &egui::Painter, rect: egui::Rect, chain: Chain, dark: bool) {
    let c = rect.center();
    let r = rect.width().min(rect.height()) / 2.0;
    let disc = chain_color(chain);
    p.circle_filled(c, r, disc);
    if dark && chain == Chain::Stellar {
        // The near-black disc keeps an edge on a dark background.
        p.circle_stroke(c, r - 0.5, Stroke::new(1.0, Color32::from_gray(150)));
    }
    let w = Color32::WHITE;
    let u = r / 10.0;
    let at = |x: f32, y: f32| pos2(c.x + x * u, c.y + y * u);
    match chain {
        Chain::Iota | Chain::IotaStardust => {
            let nodes = [at(-4.0, 3.5), at(4.0, 3.5), at(0.0, -4.5)];
            let line = Stroke::new(1.4 * u, w);
            p.line_segment([nodes[0], nodes[1]], line);
            p.line_segment([nodes[1], nodes[2]], line);
            p.line_segment([nodes[2], nodes[0]], line);
            for n in nodes {
                p.circle_filled(n, 2.2 * u, w);
            }
            if chain == Chain::IotaStardust {
                p.circle_filled(at(0.0, 0.8), 1.6 * u, w);
            }
        }
        Chain::Sui => {
            for dy in [-3.5, 0.0, 3.5] {
                let points: Vec<egui::Pos2> = (0..=16)
                    .map(|i| f32::from(i as u8) / 16.0 * 12.0 - 6.0)
                    .map(|x| at(x, dy + (x * 1.1).sin() * 1.2))
                    .collect();
                p.add(egui::Shape::line(points, Stroke::new(1.5 * u, w)));
            }
        }
        Chain::Solana => {
            p.circle_filled(c, 3.2 * u, w);
            for i in 0..8u8 {
                let a = f32::from(i) * std::f32::consts::FRAC_PI_4;
                let (s, co) = a.sin_cos();
                p.line_segment([at(co * 4.8, s * 4.8), at(co * 6.8, s * 6.8)], Stroke::new(1.3 * u, w));
            }
        }
        Chain::Stellar => {
            let points = vec![
                at(0.0, -7.0),
                at(1.6, -1.6),
                at(7.0, 0.0),
                at(1.6, 1.6),
                at(0.0, 7.0),
                at(-1.6, 1.6),
                at(-7.0, 0.0),
                at(-1.6, -1.6),
            ];
            p.add(egui::Shape::convex_polygon(points, w, Stroke::NONE));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_names_round_trip() {
        for c in ThemeChoice::ALL {
            assert_eq!(ThemeChoice::from_name(c.name()), Some(c));
        }
        assert_eq!(ThemeChoice::from_name("purple"), None);
        assert_eq!(ThemeChoice::default(), ThemeChoice::System);
    }

    /// Without a system theme, "follow the system" is light; a choice switches the context's theme.
    #[test]
    fn follow_the_system_defaults_to_light() {
        let ctx = egui::Context::default();
        install(&ctx, ThemeChoice::System);
        assert_eq!(ctx.theme(), Theme::Light);
        set(&ctx, ThemeChoice::Dark);
        assert_eq!(ctx.theme(), Theme::Dark);
        assert!(ctx.style_of(ctx.theme()).visuals.dark_mode);
        set(&ctx, ThemeChoice::Light);
        assert!(!ctx.style_of(ctx.theme()).visuals.dark_mode);
    }
}
