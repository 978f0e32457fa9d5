//! QR codes for addresses, drawn as an egui texture (no image files, nothing from the network).

use egui::{Color32, ColorImage};

/// Modules of white border around the code, as the QR specification asks.
pub const QUIET_ZONE: usize = 4;

/// The QR code of `text` as an image with one pixel per module (scale it with nearest-neighbour filtering), or
/// `None` if the text is too long for a QR code.
#[must_use]
pub fn qr_image(text: &str) -> Option<ColorImage> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let side = width + 2 * QUIET_ZONE;
    let mut pixels = vec![Color32::WHITE; side * side];
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == qrcode::Color::Dark {
            let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
            pixels[y * side + x] = Color32::BLACK;
        }
    }
    Some(ColorImage::new([side, side], pixels))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_qr_has_quiet_zone_and_finder_pattern() {
        let img = qr_image("0x9f8e5379678525edf768d7b507dc1ba9016fc4f0eac976ab7f74077d95fba312").unwrap();
        let [w, h] = img.size;
        assert_eq!(w, h);
        assert!(w >= 21 + 2 * QUIET_ZONE);
        // Border is white, the top-left finder pattern starts dark.
        assert!(img.pixels[..w * QUIET_ZONE].iter().all(|p| *p == Color32::WHITE));
        assert_eq!(img.pixels[QUIET_ZONE * w + QUIET_ZONE], Color32::BLACK);
        assert!(qr_image(&"x".repeat(5000)).is_none());
    }
}
